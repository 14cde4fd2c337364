package dev.hotfix.sandbox;

import dev.hotfix.sandbox.api.ApiServer;
import dev.hotfix.sandbox.api.ApiServerOptions;
import dev.hotfix.sandbox.api.FaultInjector;
import dev.hotfix.sandbox.api.RequestCounts;
import dev.hotfix.sandbox.app.AppOptions;
import dev.hotfix.sandbox.app.SimulatedApp;
import dev.hotfix.sandbox.cluster.ClusterTiming;
import dev.hotfix.sandbox.cluster.InjectedCrash;
import dev.hotfix.sandbox.cluster.ContainerLogs;
import dev.hotfix.sandbox.cluster.SimulatedCluster;
import dev.hotfix.sandbox.prometheus.PrometheusServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import dev.hotfix.outbound.ServiceAddresses;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded cluster on loopback: the API server (fabric8's CRUD mock behind a front that
 * speaks kubectl's dialect), the simulated Deployment controller and kubelet, the simulated app
 * exposing request metrics, and a real Prometheus scraping it when the binary is installed.
 * The {@code sandbox} command runs one until stopped; tests, the demo and benchmarks start one
 * in-process.
 */
public final class Sandbox implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);

  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private ApiServer api;
  private KubernetesClient client;
  private SimulatedApp app;
  private PrometheusServer prometheus;
  private String prometheusAbsence;
  private boolean closed;

  private Sandbox() {
  }

  /** Starts every part, in dependency order; on failure stops what already started. */
  public static Sandbox start(SandboxOptions options) {
    Sandbox s = new Sandbox();
    try {
      s.api = s.track(ApiServer.start(ApiServerOptions.defaults().withPort(options.apiPort())
          .withWatch(options.apiWatch())));
      s.client = s.track(s.api.controllersClient());
      ClusterTiming defaults = ClusterTiming.defaults();
      SimulatedCluster cluster = s.track(new SimulatedCluster(s.client, new ClusterTiming(options.podStartDelay(),
          defaults.crashLoopRunTime(), defaults.backOffBase(), defaults.backOffCap(),
          defaults.imagePullFailureDelay())));
      cluster.start();
      s.api.serveLogs(ContainerLogs::of);
      s.app = s.track(new SimulatedApp(s.client, AppOptions.defaults()));
      s.app.start();
      if (!options.prometheus()) {
        s.prometheusAbsence = "not started (--no-prometheus)";
      } else if (PrometheusServer.findBinary().isEmpty()) {
        s.prometheusAbsence = "not started: " + PrometheusServer.NOT_FOUND;
      } else {
        s.prometheus = s.track(PrometheusServer.start(List.of(s.app.metricsUri()), options.scrapeInterval()));
      }
      return s;
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /** The API server's URL (http on 127.0.0.1). */
  public URI apiUrl() {
    return api.url();
  }

  /** A new client for the API server; the caller closes it. */
  public KubernetesClient client() {
    return api.client();
  }

  /** The API server's fault injector (the reliability suite's). */
  public FaultInjector apiFaults() {
    return api.faults();
  }

  /** The requests the API server answered so far, by client and status code. */
  public RequestCounts apiRequests() {
    return api.requests();
  }

  /**
   * The API server itself: its access log, ServiceAccount tokens and clients authenticated with
   * them (people act through impersonating clients of {@link #client()}).
   */
  public ApiServer apiServer() {
    return api;
  }

  /** The simulated app's metrics endpoint. */
  public URI appMetricsUrl() {
    return app.metricsUri();
  }

  /**
   * How an operator in this JVM reaches the sandbox's Services ({@code <service>.<namespace>.svc}
   * at any port): all at the simulated app's loopback listener, which answers as the Service's
   * pods would. Any other host does not resolve. The sandbox's stand-in for cluster DNS.
   */
  public ServiceAddresses serviceAddresses() {
    InetSocketAddress listener = app.serviceAddress();
    return (host, port) -> {
      if (!host.endsWith(".svc")) {
        throw new UnknownHostException(host + " is not a Service of the sandbox");
      }
      return listener;
    };
  }

  /** The real Prometheus's URL, when it runs. */
  public Optional<URI> prometheusUrl() {
    return Optional.ofNullable(prometheus).map(PrometheusServer::url);
  }

  /** Writes a kubeconfig for kubectl and {@code run}; returns its path. */
  public Path writeKubeconfig(Path file) {
    return api.writeKubeconfig(file);
  }

  /** Where everything listens, for people. */
  public String describe(Path kubeconfig) {
    return String.join(System.lineSeparator(),
        "Sandbox cluster is up:",
        "  API server     " + apiUrl() + "   (fabric8 CRUD mock + kubectl front)",
        "  kubeconfig     " + kubeconfig.toAbsolutePath() + "   try: kubectl --kubeconfig " + kubeconfig
            + " get deploy,rs,pods",
        "  app metrics    " + appMetricsUrl(),
        "  Prometheus     " + prometheusUrl().map(URI::toString).orElse(prometheusAbsence),
        "  pod behaviour  by image tag: crashloop, oom, initcrash, pullonce, unschedulable, unready, pullerr,\n"
            + "                 errors, slow, slowstop, smoke-pass, smoke-fail (run to completion, for Jobs);\n"
            + "                 anything else is healthy",
        "  faults later   kubectl annotate rs NAME " + InjectedCrash.ANNOTATION + "=<RFC 3339 time>: its pods crash "
            + "from then on");
  }

  /** Stops everything it started, newest first; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    while (!started.isEmpty()) {
      AutoCloseable part = started.pop();
      try {
        part.close();
      } catch (Exception e) {
        LOG.warn("stopping {} failed: {}", part.getClass().getSimpleName(), e.toString());
      }
    }
  }

  private <T extends AutoCloseable> T track(T part) {
    started.push(part);
    return part;
  }
}
