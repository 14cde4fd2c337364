package dev.hotfix.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotfix.sandbox.Executables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code kubectl} binary as a child process, pointed at a kubeconfig with no other
 * flags, as a user would run it. Fails loudly when kubectl is missing (scripts/prereqs.sh
 * installs it).
 */
public final class Kubectl {
  private final Path kubeconfig;

  public Kubectl(Path kubeconfig) {
    this.kubeconfig = kubeconfig;
    assertThat(binary()).as("kubectl not found on PATH: install the Debian package kubernetes-client "
        + "(scripts/prereqs.sh does)").isNotNull();
  }

  /** What one kubectl call printed and how it ended. */
  public record Result(int exitCode, String stdout, String stderr) {
    public Result assertOk() {
      assertThat(exitCode).as("kubectl failed: %s", stderr).isZero();
      return this;
    }
  }

  /** Runs {@code kubectl --kubeconfig FILE args...} with stdin closed (or fed {@code input}). */
  public Result run(String... args) {
    return runWithInput(null, args);
  }

  public Result runWithInput(String input, String... args) {
    List<String> command = new ArrayList<>();
    command.add("--kubeconfig=" + kubeconfig);
    command.addAll(List.of(args));
    return exec(command, Map.of(), input);
  }

  /**
   * Runs a kubectl plugin as a user would: {@code kubectl NAME args...} with the kubeconfig in
   * {@code KUBECONFIG} (kubectl refuses flags before a plugin's name) and {@code environment}
   * added, e.g. a {@code PATH} holding the plugin.
   */
  public Result plugin(Map<String, String> environment, String... args) {
    Map<String, String> env = new HashMap<>(environment);
    env.put("KUBECONFIG", kubeconfig.toString());
    return exec(List.of(args), env, null);
  }

  /** {@code kubectl hotfix ARGS} with scripts/ on PATH, the plugin running the classes under test. */
  public Result hotfix(String... args) {
    List<String> command = new java.util.ArrayList<>(List.of("hotfix"));
    command.addAll(List.of(args));
    return plugin(Map.of(
        "PATH", java.nio.file.Path.of("scripts").toAbsolutePath() + ":" + System.getenv("PATH"),
        "JAVA", java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "HOTFIX_OPERATOR_CLASSPATH", System.getProperty("java.class.path")), command.toArray(String[]::new));
  }

  private Result exec(List<String> args, Map<String, String> environment, String input) {
    List<String> command = new ArrayList<>();
    command.add(binary().toString());
    command.addAll(args);
    try {
      Path out = Files.createTempFile("kubectl", ".out");
      Path err = Files.createTempFile("kubectl", ".err");
      ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      pb.environment().remove("KUBECONFIG");
      pb.environment().putAll(environment);
      Process p = pb.start();
      try (var stdin = p.getOutputStream()) {
        if (input != null) {
          stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in 120 s");
      }
      Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      return r;
    } catch (IOException e) {
      throw new AssertionError("cannot run kubectl", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static Path binary() {
    return Executables.onPath("kubectl").orElse(null);
  }
}
