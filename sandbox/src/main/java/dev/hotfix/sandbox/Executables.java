package dev.hotfix.sandbox;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Finds the programs the sandbox, the benchmark and the tests run (prometheus, kubectl, promtool)
 * as a shell would: on PATH. Hand-written: the JDK has no PATH lookup, and a library for one loop is not worth it.
 */
public final class Executables {
  private Executables() {
  }

  /** The first executable file called {@code name} in a PATH directory, if there is one. */
  public static Optional<Path> onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    return Arrays.stream(path.split(File.pathSeparator))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, name))
        .filter(Files::isRegularFile)
        .filter(Files::isExecutable)
        .findFirst();
  }
}
