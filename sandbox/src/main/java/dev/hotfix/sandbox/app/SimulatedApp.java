package dev.hotfix.sandbox.app;

import dev.hotfix.sandbox.Informers;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's stand-in for the applications running in its pods. It watches Pods in all
 * namespaces and, for every ready pod, simulates steady traffic whose error ratio and latency
 * follow the pod's images ({@link TrafficProfile}), exposed on loopback as Prometheus metrics:
 *
 * <ul>
 *   <li>{@code http_requests_total{namespace,deployment,pod,pod_template_hash,code}}, a counter;
 *   <li>{@code http_request_duration_seconds{namespace,deployment,pod,pod_template_hash}}, a histogram.
 * </ul>
 *
 * <p>No request really travels: a scheduler tick adds the requests due since the last tick to
 * each pod's counters, which keeps thousands of pods cheap and the numbers reproducible.
 *
 * <p>It also answers HTTP requests to Services ({@link #serviceAddress()}), for http checks.
 *
 * <p>Use: {@code new SimulatedApp(client, AppOptions.defaults())}, {@link #start()}, point
 * Prometheus at {@link #metricsUri()}, {@link #close()} when done.
 *
 * <p>Threads: pod events arrive on the informer's thread, the tick runs on its own daemon
 * thread and scrapes on the HTTP server's; the simulation they share is thread-safe.
 */
public final class SimulatedApp implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SimulatedApp.class);

  private final KubernetesClient client;
  private final AppOptions options;
  private final TrafficSimulation traffic;
  private MetricsEndpoint endpoint;
  private ServiceEndpoint services;
  private SharedIndexInformer<Pod> informer;
  private ScheduledExecutorService ticker;
  private boolean closed;

  /** An app that will watch pods through {@code client}; nothing runs until {@link #start()}. */
  public SimulatedApp(KubernetesClient client, AppOptions options) {
    this.client = Objects.requireNonNull(client, "client");
    this.options = Objects.requireNonNull(options, "options");
    this.traffic = new TrafficSimulation(options.requestsPerSecond(), options.seed());
  }

  /**
   * Opens the metrics endpoint, starts watching pods (returns once the informer has listed the
   * existing ones) and starts the traffic tick.
   *
   * <p>If it fails part-way (say the API server is unreachable), {@link #close()} releases
   * what was opened.
   *
   * @throws IllegalStateException when already started or closed
   */
  public synchronized void start() {
    if (endpoint != null || closed) {
      throw new IllegalStateException("the simulated app can be started only once");
    }
    endpoint = new MetricsEndpoint(options.port(), traffic::exposition);
    services = new ServiceEndpoint(client);
    informer = client.pods().inAnyNamespace().inform(Informers.handler(traffic::observe, traffic::forget), 0);
    ticker =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "simulated-app-traffic");
              thread.setDaemon(true);
              return thread;
            });
    long tickNanos = options.tick().toNanos();
    ticker.scheduleAtFixedRate(new Tick(), tickNanos, tickNanos, TimeUnit.NANOSECONDS);
    LOG.info("Simulated app serves metrics on {}", endpoint.uri());
  }

  /**
   * Where the metrics are served, e.g. {@code http://127.0.0.1:40123/metrics}.
   *
   * @throws IllegalStateException before {@link #start()}
   */
  public synchronized URI metricsUri() {
    if (endpoint == null) {
      throw new IllegalStateException("the simulated app is not started");
    }
    return endpoint.uri();
  }

  /**
   * Where HTTP requests to any Service ({@code <service>.<namespace>.svc:<port>}) are answered as
   * the Service's ready pods would ({@link ServiceEndpoint}): the sandbox's stand-in for cluster
   * DNS and the Service proxy.
   *
   * @throws IllegalStateException before {@link #start()}
   */
  public synchronized InetSocketAddress serviceAddress() {
    if (services == null) {
      throw new IllegalStateException("the simulated app is not started");
    }
    return services.address();
  }

  /** Stops the tick, the pod watch and the endpoints. Safe to call more than once. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (ticker != null) {
      ticker.shutdownNow();
    }
    if (informer != null) {
      informer.close();
    }
    if (endpoint != null) {
      endpoint.close();
    }
    if (services != null) {
      services.close();
    }
  }

  /** Advances the traffic by the time really elapsed, so a late tick loses no requests. */
  private final class Tick implements Runnable {
    private long last = System.nanoTime();

    @Override
    public void run() {
      long now = System.nanoTime();
      try {
        traffic.advance(Duration.ofNanos(now - last));
      } catch (RuntimeException e) {
        // A scheduled task that throws is never run again; log and keep the traffic flowing.
        LOG.error("Simulated traffic tick failed", e);
      }
      last = now;
    }
  }
}
