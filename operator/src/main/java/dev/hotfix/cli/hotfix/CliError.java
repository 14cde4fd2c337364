package dev.hotfix.cli.hotfix;

/** A problem the user can fix, said in one line; the command prints it and exits 1. */
final class CliError extends RuntimeException {
  CliError(String message) {
    super(message);
  }
}
