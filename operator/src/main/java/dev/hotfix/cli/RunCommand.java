package dev.hotfix.cli;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.metrics.MetricsEndpoint;
import dev.hotfix.metrics.PrometheusRegistries;
import dev.hotfix.operator.HotfixOperator;
import dev.hotfix.operator.LeaderElection;
import dev.hotfix.operator.OperatorOptions;
import dev.hotfix.operator.PhaseListener;
import dev.hotfix.outbound.EndpointAllowList;
import dev.hotfix.outbound.EndpointGuard;
import dev.hotfix.outbound.OutboundSettings;
import dev.hotfix.policy.IdentityProofs;
import dev.hotfix.webhook.AdmissionServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code run}: the operator, against the current kubeconfig or the in-cluster config, as kubectl finds them. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Runs the operator against the cluster of the current kubeconfig (KUBECONFIG, ~/.kube/config) "
        + "or, inside a pod, the in-cluster config; --kubeconfig names another file.")
public final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Option(names = "--kubeconfig", paramLabel = "FILE", description = "A kubeconfig file to use instead of the default.")
  Path kubeconfig;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE",
      description = "A namespace to watch (repeatable; default: all namespaces).")
  List<String> namespaces = List.of();

  @Option(names = "--exclude-namespace", paramLabel = "NAMESPACE",
      description = "A namespace where Hotfixes are refused (Rejected, naming this flag), e.g. kube-system "
          + "(repeatable; default: none; the Helm chart excludes kube-system, kube-public, kube-node-lease and its own "
          + "namespace).")
  List<String> excludedNamespaces = List.of();

  @Option(names = "--prometheus-url", paramLabel = "URL",
      description = "The Prometheus that metric checks query when the namespace's HotfixPolicy names none, e.g. "
          + "http://prometheus.monitoring:9090.")
  URI prometheusUrl;

  @Option(names = "--allow-endpoint", paramLabel = "HOST|CIDR",
      description = "A non-public endpoint the operator may call (Prometheus, notifications) and send credentials "
          + "to: a host name or an address range such as 10.96.0.0/12 (repeatable). Loopback, link-local and "
          + "private addresses are refused unless listed; the host of --prometheus-url is allowed.")
  List<String> allowEndpoints = List.of();

  @Option(names = "--max-response-bytes", defaultValue = "4194304", paramLabel = "BYTES",
      description = "The largest answer read from Prometheus or a notification receiver (default: ${DEFAULT-VALUE}, "
          + "4 MiB); a larger one is a provider error naming the cap.")
  long maxResponseBytes;

  @Option(names = "--metrics-port", defaultValue = "8080", paramLabel = "PORT",
      description = "Port for /metrics (Prometheus) on all interfaces; it answers /healthz and /readyz too, but probe "
          + "--health-port (default: ${DEFAULT-VALUE}; 0 picks a free port).")
  int metricsPort;

  @Option(names = "--health-port", defaultValue = "8081", paramLabel = "PORT",
      description = "Port for the probes /healthz and /readyz on all interfaces, with threads of its own so that slow "
          + "or many scrapes of /metrics cannot fail the liveness probe (default: ${DEFAULT-VALUE}; 0 picks a free "
          + "port).")
  int healthPort;

  @Option(names = "--leader-election",
      description = "Run as one of several replicas: only the holder of the Lease '" + LeaderElection.LEASE_NAME
          + "' reconciles, the others stand by and take over when it stops renewing.")
  boolean leaderElection;

  @Option(names = "--leader-election-namespace", paramLabel = "NAMESPACE", defaultValue = "${env:POD_NAMESPACE}",
      description = "The namespace of the Lease (default: the POD_NAMESPACE environment variable, which the Helm "
          + "chart sets to the operator's own namespace).")
  String leaderElectionNamespace;

  // Lease timings: Kubernetes' usual ones by default; short ones let tests and demos fail over fast.
  @Option(names = "--leader-election-lease-duration", hidden = true, paramLabel = "DURATION", defaultValue = "PT15S")
  Duration leaseDuration;

  @Option(names = "--leader-election-renew-deadline", hidden = true, paramLabel = "DURATION", defaultValue = "PT10S")
  Duration renewDeadline;

  @Option(names = "--leader-election-retry-period", hidden = true, paramLabel = "DURATION", defaultValue = "PT2S")
  Duration retryPeriod;

  @Option(names = "--log-format", defaultValue = "text", paramLabel = "FORMAT",
      description = "text (default) or json: one JSON object per line with timestamp, level, logger, message, the "
          + "reconciled resource (mdc) and any exception, for log pipelines.")
  LogFormat logFormat;

  @Option(names = "--webhook-port", defaultValue = "0", paramLabel = "PORT",
      description = "Port for the HTTPS admission webhook (/mutate stamps who created Hotfixes and HotfixApprovals "
          + "with a proof signed by --identity-key-file; /validate refuses self-approval, approvers not on the "
          + "policy's list and status writes by anyone but --operator-user) on all interfaces. "
          + "Default ${DEFAULT-VALUE}: off.")
  int webhookPort;

  @Option(names = "--identity-key-file", paramLabel = "FILE",
      description = "A secret of at least 32 bytes (the chart's Secret): the webhook signs the identities it stamps "
          + "with it, and the operator counts a requester or approver as verified only when that proof checks out. "
          + "Required with --webhook-port; without it every identity is unverified.")
  Path identityKeyFile;

  @Option(names = "--operator-user", paramLabel = "USER",
      description = "The user the operator writes status as, e.g. system:serviceaccount:hotfix-system:hotfix-operator "
          + "(the chart sets it): the webhook refuses status writes of Hotfixes and HotfixApprovals by anyone else. "
          + "Required with --webhook-port.")
  String operatorUser;

  @Option(names = "--webhook-tls-cert", paramLabel = "FILE",
      description = "The webhook's PEM certificate chain (cert-manager's tls.crt); required with --webhook-port.")
  Path webhookTlsCert;

  @Option(names = "--webhook-tls-key", paramLabel = "FILE",
      description = "The webhook's PEM private key (cert-manager's tls.key); required with --webhook-port.")
  Path webhookTlsKey;

  @Option(names = "--trust-unverified-requesters",
      description = "Without the admission webhook no requester can be verified, so every Hotfix is Rejected. With "
          + "this flag such Hotfixes proceed without checking that their requester may patch the target: anyone who "
          + "may create a Hotfix in a watched namespace can change its Deployments (see docs/security.md). Not "
          + "allowed with --identity-key-file.")
  boolean trustUnverifiedRequesters;

  @Override
  public Integer call() throws Exception {
    logFormat.apply();
    if (trustUnverifiedRequesters && identityKeyFile != null) {
      System.err.println("error: --trust-unverified-requesters is for an operator that cannot verify requesters; "
          + "with --identity-key-file every requester is verified and checked: drop one of the two flags");
      return 2;
    }
    Optional<String> problem = portProblem().or(this::webhookProblem);
    if (problem.isPresent()) {
      System.err.println("error: " + problem.get());
      return 2;
    }
    List<String> watchedAndExcluded = namespaces.stream().filter(excludedNamespaces::contains).toList();
    if (!watchedAndExcluded.isEmpty()) {
      System.err.println("error: namespace " + String.join(", ", watchedAndExcluded) + " is both watched (--namespace) "
          + "and excluded (--exclude-namespace): drop one of the two");
      return 2;
    }
    Optional<LeaderElection> election;
    OutboundSettings outbound;
    KubernetesClient client;
    IdentityProofs proofs;
    try {
      proofs = identityKeyFile == null ? IdentityProofs.NONE : IdentityProofs.fromFile(identityKeyFile);
      election = leaderElection();
      outbound = outbound();
      client = client(kubeconfig);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      return 2;
    }
    try (client) {
      Optional<String> missing = missingCrd(client);
      if (missing.isPresent()) {
        System.err.println("error: " + missing.get());
        return 2;
      }
      Optional<AdmissionServer> webhook;
      try {
        webhook = webhookPort == 0 ? Optional.empty() : Optional.of(
            AdmissionServer.start(new InetSocketAddress(webhookPort), webhookTlsCert, webhookTlsKey, client, proofs,
                operatorUser));
      } catch (IllegalArgumentException badCertificate) {
        System.err.println("error: " + badCertificate.getMessage());
        return 2;
      }
      Set<String> watched = new LinkedHashSet<>(namespaces);
      CountDownLatch stopped = new CountDownLatch(1);
      AtomicInteger exitCode = new AtomicInteger();
      PrometheusMeterRegistry meters = PrometheusRegistries.withJvmMetrics();
      AtomicReference<HotfixOperator> running = new AtomicReference<>();
      MetricsEndpoint endpoint = MetricsEndpoint.start(new InetSocketAddress(metricsPort),
          new InetSocketAddress(healthPort), meters, () -> running.get() != null && running.get().isReady());
      OperatorOptions options = OperatorOptions.defaults().withNamespaces(watched)
          .withPrometheusUrl(Optional.ofNullable(prometheusUrl)).withMeters(meters).withLeaderElection(election)
          .withIdentityProofs(proofs).withOutbound(outbound).withUnverifiedRequestersTrusted(trustUnverifiedRequesters)
          .withExcludedNamespaces(new LinkedHashSet<>(excludedNamespaces));
      HotfixOperator operator = HotfixOperator.start(client, options, PhaseListener.NONE);
      running.set(operator);
      // through the logger, so that with --log-format json every line on stderr is JSON
      LOG.info("hotfix-operator running against {}, watching {}{}; metrics on :{}/metrics, probes on :{}/healthz and "
          + "/readyz{}. Ctrl-C to stop.",
          client.getMasterUrl(), watched.isEmpty() ? "all namespaces" : String.join(", ", watched),
          election.map(e -> ", leader election on Lease " + e.leaseNamespace() + "/" + LeaderElection.LEASE_NAME
              + " as " + e.identity()).orElse(""), endpoint.port(), endpoint.healthPort(),
          webhook.map(w -> "; admission webhook on https :" + w.port() + "/mutate and /validate").orElse(""));
      operator.leadershipLost().thenRun(() -> {
        // exit non-zero: Kubernetes restarts the pod, which then stands by as a fresh candidate
        exitCode.set(1);
        stopped.countDown();
      });
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        operator.close();
        webhook.ifPresent(AdmissionServer::close);
        endpoint.close();
        stopped.countDown();
      }, "operator-shutdown"));
      stopped.await();
      return exitCode.get();
    }
  }

  /**
   * The outbound settings from {@code --allow-endpoint} and {@code --max-response-bytes}, with
   * {@code --prometheus-url} checked for form.
   *
   * @throws IllegalArgumentException saying which value to fix
   */
  OutboundSettings outbound() {
    if (prometheusUrl != null) {
      EndpointGuard.baseUrl(prometheusUrl.toString(), "--prometheus-url");
    }
    if (maxResponseBytes < 1024) {
      throw new IllegalArgumentException("--max-response-bytes must be at least 1024");
    }
    return OutboundSettings.defaults().withAllowed(EndpointAllowList.parse(allowEndpoints))
        .withMaxBodyBytes(maxResponseBytes);
  }

  /** The leader election asked for, or a message saying what is missing. */
  Optional<LeaderElection> leaderElection() {
    if (!leaderElection) {
      return Optional.empty();
    }
    if (leaderElectionNamespace == null || leaderElectionNamespace.isBlank()) {
      throw new IllegalArgumentException("--leader-election needs the namespace of its Lease: pass "
          + "--leader-election-namespace NAMESPACE or set POD_NAMESPACE (in a pod, from the downward API "
          + "fieldRef metadata.namespace)");
    }
    return Optional.of(LeaderElection.in(leaderElectionNamespace, LeaderElection.defaultIdentity())
        .withTimings(leaseDuration, renewDeadline, retryPeriod));
  }

  /** Two servers asked to listen on one port, before anything starts. */
  Optional<String> portProblem() {
    if (healthPort != 0 && healthPort == metricsPort) {
      return Optional.of("--health-port and --metrics-port are both " + healthPort + ": the probes need a port of "
          + "their own (default 8081) so that scrapes cannot hold them up");
    }
    if (webhookPort != 0 && (webhookPort == metricsPort || webhookPort == healthPort)) {
      return Optional.of("--webhook-port " + webhookPort + " is also the metrics or health port: give it its own");
    }
    return Optional.empty();
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
    if (identityKeyFile == null) {
      return Optional.of("--webhook-port needs --identity-key-file FILE (at least " + IdentityProofs.MIN_KEY_BYTES
          + " random bytes, e.g. a Secret's key mounted as a file): the webhook signs the identities it stamps, so "
          + "that annotations a client wrote never pass as verified");
    }
    if (operatorUser == null || operatorUser.isBlank()) {
      return Optional.of("--webhook-port needs --operator-user USER, the user the operator writes status as (in a "
          + "pod: system:serviceaccount:NAMESPACE:SERVICEACCOUNT): the webhook refuses status writes by anyone else");
    }
    return Optional.empty();
  }

  /**
   * What to do when the cluster lacks the Hotfix CRD (the operator would fail on its first
   * watch with a bare 404). Unknown when we may not read CRDs: then the operator just starts.
   */
  public static Optional<String> missingCrd(KubernetesClient client) {
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
