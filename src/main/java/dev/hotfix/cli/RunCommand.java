package dev.hotfix.cli;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.metrics.MetricsEndpoint;
import dev.hotfix.webhook.AdmissionServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import dev.hotfix.operator.HotfixOperator;
import dev.hotfix.operator.OperatorOptions;
import dev.hotfix.operator.PhaseListener;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code run}: the operator, against the current kubeconfig or the in-cluster config, as kubectl finds them. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Runs the operator against the cluster of the current kubeconfig (KUBECONFIG, ~/.kube/config) "
        + "or, inside a pod, the in-cluster config; --kubeconfig names another file.")
final class RunCommand implements Callable<Integer> {

  @Option(names = "--kubeconfig", paramLabel = "FILE", description = "A kubeconfig file to use instead of the default.")
  Path kubeconfig;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE",
      description = "A namespace to watch (repeatable; default: all namespaces).")
  List<String> namespaces = List.of();

  @Option(names = "--prometheus-url", paramLabel = "URL",
      description = "The Prometheus that metric checks query when the namespace's HotfixPolicy names none, e.g. "
          + "http://prometheus.monitoring:9090.")
  URI prometheusUrl;

  @Option(names = "--metrics-port", defaultValue = "8080", paramLabel = "PORT",
      description = "Port for /metrics (Prometheus), /healthz and /readyz on all interfaces (default: ${DEFAULT-VALUE}; "
          + "0 picks a free port).")
  int metricsPort;

  @Option(names = "--webhook-port", defaultValue = "0", paramLabel = "PORT",
      description = "Port for the HTTPS admission webhook (/mutate stamps who created Hotfixes and HotfixApprovals, "
          + "/validate refuses self-approval and approvers not on the policy's list) on all interfaces; with it on, "
          + "requester and approver identities count as verified. Default ${DEFAULT-VALUE}: off.")
  int webhookPort;

  @Option(names = "--webhook-tls-cert", paramLabel = "FILE",
      description = "The webhook's PEM certificate chain (cert-manager's tls.crt); required with --webhook-port.")
  Path webhookTlsCert;

  @Option(names = "--webhook-tls-key", paramLabel = "FILE",
      description = "The webhook's PEM private key (cert-manager's tls.key); required with --webhook-port.")
  Path webhookTlsKey;

  @Override
  public Integer call() throws Exception {
    Optional<String> webhookProblem = webhookProblem();
    if (webhookProblem.isPresent()) {
      System.err.println("error: " + webhookProblem.get());
      return 2;
    }
    try (KubernetesClient client = client(kubeconfig)) {
      Optional<String> missing = missingCrd(client);
      if (missing.isPresent()) {
        System.err.println("error: " + missing.get());
        return 2;
      }
      Optional<AdmissionServer> webhook;
      try {
        webhook = webhookPort == 0 ? Optional.empty() : Optional.of(
            AdmissionServer.start(new InetSocketAddress(webhookPort), webhookTlsCert, webhookTlsKey, client));
      } catch (IllegalArgumentException badCertificate) {
        System.err.println("error: " + badCertificate.getMessage());
        return 2;
      }
      Set<String> watched = new LinkedHashSet<>(namespaces);
      CountDownLatch stopped = new CountDownLatch(1);
      PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      bindJvmMetrics(meters);
      AtomicBoolean ready = new AtomicBoolean();
      MetricsEndpoint endpoint = MetricsEndpoint.start(new InetSocketAddress(metricsPort), meters, ready::get);
      OperatorOptions options = OperatorOptions.defaults().withNamespaces(watched)
          .withPrometheusUrl(Optional.ofNullable(prometheusUrl)).withMeters(meters)
          .withIdentitiesVerified(webhook.isPresent());
      HotfixOperator operator = HotfixOperator.start(client, options, PhaseListener.NONE);
      ready.set(true);
      System.err.println("hotfix-operator running against " + client.getMasterUrl() + ", watching "
          + (watched.isEmpty() ? "all namespaces" : String.join(", ", watched)) + "; metrics on :" + endpoint.port()
          + "/metrics" + webhook.map(w -> "; admission webhook on https :" + w.port() + "/mutate and /validate")
          .orElse("") + ". Ctrl-C to stop.");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        ready.set(false);
        operator.close();
        webhook.ifPresent(AdmissionServer::close);
        endpoint.close();
        stopped.countDown();
      }, "operator-shutdown"));
      stopped.await();
    }
    return 0;
  }

  /** What is missing or unreadable among the webhook's flags, before anything starts. */
  Optional<String> webhookProblem() {
    if (webhookPort == 0) {
      return Optional.empty();
    }
    if (webhookTlsCert == null || webhookTlsKey == null) {
      return Optional.of("--webhook-port needs --webhook-tls-cert FILE and --webhook-tls-key FILE (PEM, e.g. the "
          + "tls.crt and tls.key of a cert-manager Certificate's Secret): the API server calls webhooks over HTTPS "
          + "only");
    }
    for (Path file : List.of(webhookTlsCert, webhookTlsKey)) {
      if (!Files.isReadable(file)) {
        return Optional.of("cannot read " + file + " (given to --webhook-tls-cert/--webhook-tls-key)");
      }
    }
    return Optional.empty();
  }

  /**
   * What to do when the cluster lacks the Hotfix CRD (the operator would fail on its first
   * watch with a bare 404). Unknown when we may not read CRDs: then the operator just starts.
   */
  static Optional<String> missingCrd(KubernetesClient client) {
    String name = "hotfixes." + Hotfix.GROUP;
    try {
      return client.apiextensions().v1().customResourceDefinitions().withName(name).get() != null ? Optional.empty()
          : Optional.of("the Hotfix CRD (" + name + ") is not installed in " + client.getMasterUrl()
              + ": install the CRDs first with `kubectl apply -f crds/`");
    } catch (KubernetesClientException e) {
      if (e.getCode() == 401 || e.getCode() == 403) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** JVM and process metrics, as every JVM service exposes them. */
  private static void bindJvmMetrics(MeterRegistry meters) {
    new JvmMemoryMetrics().bindTo(meters);
    new JvmGcMetrics().bindTo(meters);
    new JvmThreadMetrics().bindTo(meters);
    new ClassLoaderMetrics().bindTo(meters);
    new ProcessorMetrics().bindTo(meters);
    new UptimeMetrics().bindTo(meters);
  }

  /** A client from a kubeconfig file, or from the usual places when none is given. */
  static KubernetesClient client(Path kubeconfig) throws Exception {
    if (kubeconfig == null) {
      return new KubernetesClientBuilder().build();
    }
    if (!Files.isReadable(kubeconfig)) {
      throw new IllegalArgumentException("cannot read kubeconfig " + kubeconfig);
    }
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
  }
}
