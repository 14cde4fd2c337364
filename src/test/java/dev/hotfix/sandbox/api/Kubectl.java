package dev.hotfix.sandbox.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real kubectl ({@code /usr/bin/kubectl}) run as a child process against a kubeconfig the
 * sandbox wrote, with no extra flags: what a user types. Its discovery and HTTP caches go to a
 * private folder so runs never share them.
 */
final class Kubectl {
  private static final long TIMEOUT_SECONDS = 60;

  /** What one kubectl run printed and returned. */
  record Result(int exitCode, String out, String err) {
    /** stdout and stderr together, for messages kubectl prints on either. */
    String all() {
      return out + err;
    }
  }

  private final Path kubeconfig;
  private final Path cacheDir;

  Kubectl(ApiServer api, Path workDir) {
    this.kubeconfig = api.writeKubeconfig(workDir.resolve("kubeconfig"));
    this.cacheDir = workDir.resolve("kube-cache");
  }

  /** Runs {@code kubectl --kubeconfig FILE args...} and waits for it. */
  Result run(String... args) {
    Process process = start(args);
    try {
      CompletableFuture<String> out = read(process.getInputStream());
      CompletableFuture<String> err = read(process.getErrorStream());
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in " + TIMEOUT_SECONDS + "s");
      }
      return new Result(process.exitValue(), out.join(), err.join());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Runs kubectl with a manifest on its standard input ({@code -f -}). */
  Result runWithInput(String input, String... args) {
    Path manifest = kubeconfig.resolveSibling("manifest-" + System.nanoTime() + ".yaml");
    try {
      Files.writeString(manifest, input);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> withFile = new ArrayList<>(List.of(args));
    withFile.replaceAll(arg -> arg.equals("-") ? manifest.toString() : arg);
    return run(withFile.toArray(String[]::new));
  }

  /** Starts kubectl without waiting (for {@code wait} and {@code get -w}); the caller ends it. */
  Process start(String... args) {
    List<String> command = new ArrayList<>(List.of("/usr/bin/kubectl", "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("KUBECACHEDIR", cacheDir.toString());
    try {
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run kubectl", e);
    }
  }

  /** Collects a stream of a started process. */
  static CompletableFuture<String> read(java.io.InputStream stream) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }
}
