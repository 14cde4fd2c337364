package dev.hotfix.sandbox.prometheus;

import dev.hotfix.sandbox.Executables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Prometheus (the {@code prometheus} binary on PATH) started for the sandbox: its own
 * configuration, data directory and loopback port in a fresh temporary directory, scraping the
 * given targets. {@link #close()} stops exactly the process it started and deletes the
 * directory; a JVM shutdown hook does the same if the JVM exits first (Ctrl-C on the sandbox),
 * so no prometheus is left behind. Other prometheus processes on the machine are never touched.
 */
public final class PrometheusServer implements AutoCloseable {

  /** The failure message when the binary is missing; tests fail with it rather than skip. */
  public static final String NOT_FOUND =
      "prometheus not found on PATH: install the Debian package prometheus; .ci/run installs it";

  private static final Logger LOG = LoggerFactory.getLogger(PrometheusServer.class);
  private static final String BINARY = "prometheus";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration READY_POLL = Duration.ofMillis(100);
  private static final Duration GRACEFUL_STOP = Duration.ofSeconds(10);
  private static final int PORT_ATTEMPTS = 3;
  private static final int LOG_TAIL_LINES = 30;

  private final Process process;
  private final Path workDir;
  private final URI url;
  private final PrometheusClient client;
  private final Thread shutdownHook;
  private boolean stopped;

  private PrometheusServer(Process process, Path workDir, URI url, PrometheusClient client) {
    this.process = process;
    this.workDir = workDir;
    this.url = url;
    this.client = client;
    this.shutdownHook = new Thread(this::stop, "prometheus-shutdown-" + process.pid());
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** The {@code prometheus} executable on PATH, if there is one. */
  public static Optional<Path> findBinary() {
    return Executables.onPath(BINARY);
  }

  /**
   * Starts Prometheus scraping {@code targets} (e.g. the simulated app's metrics URI) every
   * {@code scrapeInterval}, and returns once it answers {@code /-/ready}. Expect a new target's
   * first sample a few seconds later: Prometheus applies new targets on a ~5 s tick.
   *
   * @throws IllegalStateException when the binary is not on PATH ({@link #NOT_FOUND}), or when
   *     Prometheus exits or is not ready within 30 s; the message carries the tail of its log
   */
  public static PrometheusServer start(List<URI> targets, Duration scrapeInterval) {
    Objects.requireNonNull(targets, "targets");
    Path binary = findBinary().orElseThrow(() -> new IllegalStateException(NOT_FOUND));
    String config = ScrapeConfig.render(targets, scrapeInterval);
    // A free port can be taken between finding it and Prometheus binding it; try another.
    for (int attempt = 1; ; attempt++) {
      try {
        return launch(binary, config, freeLoopbackPort());
      } catch (PortTakenException e) {
        if (attempt == PORT_ATTEMPTS) {
          throw new IllegalStateException(e.getMessage());
        }
      }
    }
  }

  /**
   * Starts Prometheus as {@link #start} does, on a given port with fresh, empty storage: a
   * Prometheus restarted in place after losing its data (the reliability suite's fault).
   *
   * @throws IllegalStateException as {@link #start}, and when the port is taken
   */
  public static PrometheusServer startOn(int port, List<URI> targets, Duration scrapeInterval) {
    Path binary = findBinary().orElseThrow(() -> new IllegalStateException(NOT_FOUND));
    try {
      return launch(binary, ScrapeConfig.render(targets, scrapeInterval), port);
    } catch (PortTakenException e) {
      throw new IllegalStateException(e.getMessage());
    }
  }

  /** One attempt in a fresh directory; on failure nothing is left running or on disk. */
  private static PrometheusServer launch(Path binary, String config, int port) {
    Path workDir;
    try {
      workDir = Files.createTempDirectory("hotfix-prometheus-");
      Files.writeString(workDir.resolve("prometheus.yml"), config);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare a directory for prometheus", e);
    }
    Path log = workDir.resolve("prometheus.log");
    ProcessBuilder builder =
        new ProcessBuilder(
                binary.toString(),
                "--config.file=" + workDir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + workDir.resolve("data"),
                // a sandbox left running for days should not fill the disk
                "--storage.tsdb.retention.time=1d",
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      deleteRecursively(workDir);
      throw new UncheckedIOException("cannot run " + binary, e);
    }
    URI url = URI.create("http://127.0.0.1:" + port);
    PrometheusServer server = new PrometheusServer(process, workDir, url, new PrometheusClient(url));
    try {
      server.awaitReady(log);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    LOG.info("Prometheus (pid {}) serves {}, data in {}", process.pid(), url, workDir);
    return server;
  }

  /** Waits for {@code /-/ready}, or fails with the reason and the tail of the log. */
  private void awaitReady(Path log) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (!client.isReady()) {
      if (!process.isAlive()) {
        String tail = logTail(log);
        String message = "prometheus exited with code " + process.exitValue() + " (" + url
            + "); last lines of its log:\n" + tail;
        throw tail.contains("address already in use")
            ? new PortTakenException(message)
            : new IllegalStateException(message);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("prometheus was not ready within "
            + READY_TIMEOUT.toSeconds() + "s (" + url + "); last lines of its log:\n"
            + logTail(log));
      }
      try {
        Thread.sleep(READY_POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for prometheus", e);
      }
    }
  }

  /** The base URL, e.g. {@code http://127.0.0.1:40321}. */
  public URI url() {
    return url;
  }

  /** The process id of the prometheus this server started. */
  public long pid() {
    return process.pid();
  }

  /** The temporary directory holding its configuration, data and log; gone after close. */
  public Path directory() {
    return workDir;
  }

  /** A client of this Prometheus' HTTP API. */
  public PrometheusClient client() {
    return client;
  }

  /**
   * Evaluates {@code promql} now; see {@link PrometheusClient#query(String)}.
   *
   * @return the single value, or empty for an empty result ("no data")
   */
  public OptionalDouble query(String promql) {
    return client.query(promql);
  }

  /**
   * Stops the process (SIGTERM, then SIGKILL after 10 s) and deletes the temporary directory.
   * Safe to call more than once.
   */
  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or about to; it finds the work already done.
    }
  }

  private synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    stopProcess();
    deleteRecursively(workDir);
  }

  private void stopProcess() {
    process.destroy();
    try {
      if (!process.waitFor(GRACEFUL_STOP.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("Prometheus (pid {}) ignored SIGTERM; killing it", process.pid());
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free loopback port", e);
    }
  }

  private static String logTail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES),
          lines.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      LOG.warn("Could not delete {}: {}", dir, e.toString());
    }
  }

  /** Prometheus lost the race for its port to another process. */
  private static final class PortTakenException extends RuntimeException {
    PortTakenException(String message) {
      super(message);
    }
  }
}
