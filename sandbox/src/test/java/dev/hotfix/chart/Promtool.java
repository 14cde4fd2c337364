package dev.hotfix.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotfix.sandbox.Executables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus's own rule checker, {@code promtool}, as a child process. It comes with the Debian
 * package {@code prometheus} that scripts/prereqs.sh installs; a test that needs it fails (never
 * skips) when it is missing, so the alerts are never shipped unchecked.
 */
final class Promtool {
  private final Path binary;

  Promtool() {
    binary = Executables.onPath("promtool").orElse(null);
    assertThat(binary).as("promtool not found on PATH: install the Debian package prometheus "
        + "(scripts/prereqs.sh does)").isNotNull();
  }

  /** What one promtool call printed (stdout and stderr together) and how it ended. */
  record Result(int exitCode, String output) {}

  /** Runs {@code promtool args...} in {@code workDir} (test files name rule files relative to themselves). */
  Result run(Path workDir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(binary.toString()));
    command.addAll(List.of(args));
    Path output = Files.createTempFile(workDir, "promtool", ".out");
    Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(output.toFile()).start();
    try {
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool %s finished within 60 s", args[0]).isTrue();
    } finally {
      process.destroyForcibly();
    }
    return new Result(process.exitValue(), Files.readString(output));
  }
}
