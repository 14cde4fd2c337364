package dev.hotfix.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator as users run it: {@code run} in a JVM of its own, against the sandbox's
 * kubeconfig. Its API requests carry the User-Agent {@link #USER_AGENT}, so the sandbox counts
 * them apart from its own controllers'. Start-up is timed to {@code /readyz}; its footprint is
 * read from outside as an operator would be: heap after a full GC by {@code jcmd}, RSS from
 * {@code /proc}.
 */
final class OperatorProcess implements AutoCloseable {
  static final String USER_AGENT = "hotfix-operator-bench";
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
  /** G1's heap_info line: "garbage-first heap   total 262144K, used 41234K [...]" (other collectors alike). */
  private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total\\s+\\d+K,\\s+used\\s+(\\d+)K");
  private static final Pattern VM_RSS = Pattern.compile("VmRSS:\\s+(\\d+)\\s+kB");

  private final Process process;
  private final Duration startup;
  private final URI metrics;
  /** Stops the operator when the benchmark is stopped (Ctrl-C) before it could close it. */
  private final Thread stopOnExit;

  private OperatorProcess(Process process, Duration startup, URI metrics) {
    this.process = process;
    this.startup = startup;
    this.metrics = metrics;
    this.stopOnExit = new Thread(process::destroyForcibly, "stop-operator-process");
    Runtime.getRuntime().addShutdownHook(stopOnExit);
  }

  /**
   * Starts {@code run} with {@code kubeconfig} as its KUBECONFIG (found as kubectl finds it) and
   * the sandbox's Prometheus, if any, as its default, and waits until {@code /readyz} answers
   * 200; its output goes to {@code log}.
   */
  static OperatorProcess start(BenchBed bed, List<String> jvmArgs, Path log) throws IOException {
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.add("-Dkubernetes.user.agent=" + USER_AGENT);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.hotfix.cli.Main");
    // the sandbox's Prometheus listens on loopback; no admission webhook proves who asked, and the
    // bench's own client asks for every Hotfix
    command.addAll(List.of("run", "--metrics-port", String.valueOf(port), "--health-port", "0", "--allow-endpoint",
        "127.0.0.0/8", "--trust-unverified-requesters"));
    bed.sandbox.prometheusUrl().ifPresent(url -> command.addAll(List.of("--prometheus-url", url.toString())));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("KUBECONFIG", bed.kubeconfig.toAbsolutePath().toString());
    long started = System.nanoTime();
    Process process = pb.start();
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest readyz = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
        .timeout(Duration.ofSeconds(2)).build();
    boolean ready = Waits.until(READY_TIMEOUT, () -> {
      if (!process.isAlive()) {
        return true;
      }
      try {
        return http.send(readyz, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return true;
      }
    });
    Duration startup = Duration.ofNanos(System.nanoTime() - started);
    if (!ready || !process.isAlive()) {
      process.destroyForcibly();
      throw new IllegalStateException("the operator did not become ready (see " + log + ")");
    }
    return new OperatorProcess(process, startup, URI.create("http://127.0.0.1:" + port + "/metrics"));
  }

  /** From starting the JVM to {@code /readyz} answering 200 (informers synced). */
  Duration startupToReady() {
    return startup;
  }

  long pid() {
    return process.pid();
  }

  /** Heap in use after a full GC (the live set), in bytes; empty when jcmd is missing or fails. */
  OptionalLong heapAfterGc() {
    if (jcmd("GC.run").isEmpty()) {
      return OptionalLong.empty();
    }
    return jcmd("GC.heap_info").map(HEAP_USED::matcher).filter(Matcher::find)
        .map(m -> OptionalLong.of(Long.parseLong(m.group(1)) * 1024)).orElse(OptionalLong.empty());
  }

  /** CPU time the operator process has used so far (user and system, all threads). */
  Duration cpuTime() {
    return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /**
   * Reconciliations java-operator-sdk started so far, from the operator's own {@code /metrics}
   * ({@code operator_sdk_reconciliations_started_total}): how much work each Hotfix caused.
   */
  double reconciliations() throws IOException, InterruptedException {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics)
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    return response.body().lines().filter(l -> l.startsWith("operator_sdk_reconciliations_started_total"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  /** Resident set size, in bytes, from {@code /proc/PID/status}. */
  OptionalLong rss() {
    try {
      Matcher m = VM_RSS.matcher(Files.readString(Path.of("/proc", String.valueOf(pid()), "status")));
      return m.find() ? OptionalLong.of(Long.parseLong(m.group(1)) * 1024) : OptionalLong.empty();
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }

  private java.util.Optional<String> jcmd(String what) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd)) {
      return java.util.Optional.empty();
    }
    try {
      Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid()), what).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 ? java.util.Optional.of(out)
          : java.util.Optional.empty();
    } catch (IOException e) {
      return java.util.Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return java.util.Optional.empty();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Stops the operator as a signal would (its shutdown hook runs), forcibly after 20 s. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to: it stops the process
    }
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
