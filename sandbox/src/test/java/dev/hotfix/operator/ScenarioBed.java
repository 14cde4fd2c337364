package dev.hotfix.operator;

import dev.hotfix.outbound.EndpointAllowList;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixSpec;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.TimelineEntry;
import dev.hotfix.rollout.DeploymentRevisions;
import dev.hotfix.rollout.HotfixAnnotations;
import dev.hotfix.rollout.PodTemplates;
import dev.hotfix.sandbox.Informers;
import dev.hotfix.sandbox.Sandbox;
import dev.hotfix.sandbox.SandboxOptions;
import dev.hotfix.sandbox.SampleWorkloads;
import dev.hotfix.sandbox.api.AuditedRequest;
import dev.hotfix.sandbox.api.FaultInjector;
import dev.hotfix.sandbox.prometheus.PrometheusServer;
import dev.hotfix.testing.HotfixFixtures;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one bed of the scenario, reliability and load tests: a sandbox, operators in-process
 * against it (the bed's own, or started and stopped by the test: a restart is a fresh operator
 * with fresh informers and its own client), the API server's fault injector, and two witnesses
 * that the operator cannot fool:
 * <ul>
 *   <li>every pod's watch events feed {@link PodAvailability}: while an operator holds a
 *       Deployment, its ready pods never fall below desired minus what the Hotfix allows. Any
 *       violation fails the running test when it ends ({@link BedVerification}, registered for
 *       every test), so every scenario checks zero downtime without asking;</li>
 *   <li>the API server's audit counts the operator's writes that landed on each Deployment by
 *       kind ({@link #writes}), including one the operator gave up on but the server applied.</li>
 * </ul>
 * Its Deployments have {@value #REPLICAS} replicas and an owner strategy that allows downtime
 * (maxUnavailable {@code 50%}): only the Hotfix's own strategy keeps every pod serving.
 * One per test class; {@link #close()} stops everything it started.
 */
public class ScenarioBed implements AutoCloseable {
  public static final String NS = "default";
  public static final String GOOD = "registry.example.com/web:1.0";
  /** The replicas of {@link #deploymentReady(Consumer)}'s Deployments. */
  public static final int REPLICAS = 4;
  /** The owner's maxUnavailable on the bed's Deployments: downtime allowed unless the Hotfix forbids it. */
  public static final IntOrString OWNER_MAX_UNAVAILABLE = new IntOrString("50%");
  /** The User-Agent of the bed's operators: how the audit tells their requests apart. */
  public static final String OPERATOR_USER_AGENT = "hotfix-operator-under-test";
  /** A short budget, so "beyond the retry budget" takes seconds, not minutes. */
  public static final ReconcileTuning QUICK_RETRIES = ReconcileTuning.defaults()
      .withRetry(new GenericRetry().setMaxAttempts(3).setInitialInterval(200).setIntervalMultiplier(1.5),
          Duration.ofSeconds(1));
  private static final String TEST_USER_AGENT = "hotfix-scenario-test";
  private static final Pattern DEPLOYMENT_PATH =
      Pattern.compile("/apis/apps/v1/namespaces/([^/]+)/deployments/([^/]+)");
  /** Any target's path: the kind, namespace and name. */
  private static final Pattern TARGET_PATH =
      Pattern.compile("/apis/apps/v1/namespaces/([^/]+)/(deployments|statefulsets|daemonsets)/([^/]+)");
  private static final Pattern REPLICA_SET_PATH =
      Pattern.compile("/apis/apps/v1/namespaces/([^/]+)/replicasets/([^/]+)");
  private static final Pattern ACTIVE_VALUE = Pattern.compile("\"path\":\"/metadata/annotations/"
      + Pattern.quote(HotfixAnnotations.ACTIVE.replace("/", "~1")) + "\",\"value\":\"([^\"]+)\"");
  private static final AtomicInteger SEQ = new AtomicInteger();
  /** The beds open in this JVM, for {@link BedVerification}. */
  private static final Set<ScenarioBed> OPEN = ConcurrentHashMap.newKeySet();

  public final Sandbox sandbox;
  /** The test's own client (its writes are someone else's, to the operator). */
  public final KubernetesClient client;
  private final List<AutoCloseable> running = new CopyOnWriteArrayList<>();
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private final Map<String, List<Deployment>> observed = new ConcurrentHashMap<>();
  private final Map<String, List<Phase>> phasesServed = new ConcurrentHashMap<>();
  private final Map<String, Hotfix> hotfixes = new ConcurrentHashMap<>();
  private final Map<String, OperatorWrites> writes = new ConcurrentHashMap<>();
  private final List<String> operatorRequests = new CopyOnWriteArrayList<>();
  private final PodAvailability availability;

  /**
   * Starts the sandbox with {@code sandboxOptions} and the operator with {@code operatorOptions}
   * (watching {@link #NS} unless they name namespaces).
   */
  public ScenarioBed(SandboxOptions sandboxOptions, OperatorOptions operatorOptions) {
    this(sandboxOptions);
    OperatorOptions options = operatorOptions != null ? operatorOptions : OperatorOptions.defaults()
        .withPrometheusUrl(Optional.of(sandbox.prometheusUrl().orElseThrow(() -> {
          close();
          return new IllegalStateException("the sandbox runs no Prometheus: " + PrometheusServer.NOT_FOUND);
        })));
    start(options.namespaces().isEmpty() ? options.withNamespaces(Set.of(NS)) : options, ReconcileTuning.defaults());
  }

  /** A sandbox and the witnesses, no operator: the test starts its operators ({@link #startOperator}). */
  protected ScenarioBed(SandboxOptions sandboxOptions) {
    sandbox = Sandbox.start(sandboxOptions);
    // the test's own writes are not under test: no blind retry of a POST that timed out but landed
    // (its retry would fail 409 AlreadyExists on a busy machine), and time enough to answer
    client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(sandbox.client().getConfiguration())
        .withUserAgent(TEST_USER_AGENT).withRequestRetryBackoffLimit(0).withRequestTimeout(60_000).build()).build();
    availability = new PodAvailability(key -> {
      Hotfix h = hotfixes.get(key);
      return h == null || h.getSpec().rollout == null ? null : h.getSpec().rollout.maxUnavailable;
    });
    sandbox.apiRequests().audit(this::auditOperator);
    sandbox.apiRequests().auditArrivals(this::auditOthers);
    KubernetesClient watcher = sandbox.client();
    informers.add(watcher.resources(Hotfix.class).inAnyNamespace().inform(Informers.onChange(this::recordHotfix)));
    informers.add(watcher.apps().deployments().inAnyNamespace().inform(Informers.onChange(d -> {
      observed.computeIfAbsent(d.getMetadata().getName(), k -> new CopyOnWriteArrayList<>()).add(d);
      availability.deploymentChanged(d);
    })));
    informers.add(watcher.pods().inAnyNamespace().inform(Informers.handler(availability::podChanged,
        availability::podDeleted)));
    OPEN.add(this);
  }

  /** A bed without Prometheus whose pods start in 300 ms, and its operator with default options. */
  public static ScenarioBed quick() {
    return new ScenarioBed(SandboxOptions.defaults().withPrometheus(false).withPodStartDelay(Duration.ofMillis(300)),
        OperatorOptions.defaults());
  }

  /** A sandbox and the test's client, without an operator: for tests that start operators themselves. */
  public static ScenarioBed withoutOperator(SandboxOptions sandboxOptions) {
    return new ScenarioBed(sandboxOptions);
  }

  /** A bed whose operator queries the sandbox's own Prometheus, which must be running. */
  public static ScenarioBed withSandboxPrometheus(SandboxOptions sandboxOptions) {
    return new ScenarioBed(sandboxOptions, null);
  }

  /**
   * A client configuration for an operator of the test's own making: the audit counts its
   * writes as the operator's (2 s request timeout, one client-side retry).
   */
  public Config operatorConfig() {
    return new ConfigBuilder(Config.empty()).withMasterUrl(sandbox.apiUrl().toString()).withNamespace(NS)
        .withTrustCerts(true).withUserAgent(OPERATOR_USER_AGENT).withRequestTimeout(2_000)
        .withRequestRetryBackoffLimit(1).withRequestRetryBackoffInterval(50).build();
  }

  /** Starts an operator on its own client ({@link #operatorConfig()}) watching {@link #NS}. */
  public Running startOperator(OperatorOptions options, ReconcileTuning tuning) {
    return start(options.withNamespaces(Set.of(NS)), tuning);
  }

  private Running start(OperatorOptions options, ReconcileTuning tuning) {
    KubernetesClient operatorClient = new KubernetesClientBuilder().withConfig(operatorConfig()).build();
    // the sandbox's Prometheus, Services and the tests' stubs and receivers listen on loopback
    HotfixOperator operator = HotfixOperator.start(operatorClient,
        trustedWithoutWebhook(options.withAllowedEndpoints(EndpointAllowList.LOOPBACK)
            .withServiceAddresses(sandbox.serviceAddresses())), PhaseListener.NONE,
        tuning.withSeam(SkipHotfixStrategyMutant.around(tuning.seam())));
    Running r = new Running(operator, operatorClient);
    running.add(r);
    return r;
  }

  /** One operator process, as far as the cluster can tell: stopping it is a crash or a shutdown. */
  public final class Running implements AutoCloseable {
    private final HotfixOperator operator;
    private final KubernetesClient operatorClient;

    Running(HotfixOperator operator, KubernetesClient operatorClient) {
      this.operator = operator;
      this.operatorClient = operatorClient;
    }

    public HotfixOperator operator() {
      return operator;
    }

    @Override
    public void close() {
      running.remove(this);
      operator.close();
      operatorClient.close();
    }
  }

  public FaultInjector faults() {
    return sandbox.apiFaults();
  }

  /** The sandbox's API server, for tests that build their own clients. */
  public URI apiUrl() {
    return sandbox.apiUrl();
  }

  /** Writes a kubeconfig for the real kubectl: the sandbox's admin, others with {@code --as}. */
  Path writeKubeconfig(Path file) {
    return sandbox.writeKubeconfig(file);
  }

  /** The sandbox itself: its API server's access log and ServiceAccount tokens. */
  Sandbox sandbox() {
    return sandbox;
  }

  /**
   * The scenario tests create Hotfixes without the admission webhook (unless they register it), so
   * no requester is verified: they run the operator as {@code run --trust-unverified-requesters}.
   */
  static OperatorOptions trustedWithoutWebhook(OperatorOptions options) {
    return options.identityProofs().hasKey() ? options : options.withUnverifiedRequestersTrusted(true);
  }

  /** Closes each of {@code closeables} that is not null, in order. */
  static void closeAll(AutoCloseable... closeables) {
    for (AutoCloseable c : closeables) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** The sandbox's Prometheus, for a HotfixPolicy naming it; fails when the sandbox runs none. */
  public URI prometheusUrl() {
    return sandbox.prometheusUrl().orElseThrow(() -> new IllegalStateException(PrometheusServer.NOT_FOUND));
  }

  /** Every API request the bed's operators made so far (reads, watches and writes), as "METHOD path code". */
  public List<String> operatorRequests() {
    return List.copyOf(operatorRequests);
  }

  @Override
  public void close() {
    OPEN.remove(this);
    for (AutoCloseable r : List.copyOf(running)) {
      try {
        r.close();
      } catch (Exception e) {
        // keep stopping the rest
      }
    }
    informers.forEach(SharedIndexInformer::close);
    client.close();
    sandbox.close();
  }

  /** The pod-level availability violations recorded in every open bed since the last call (forgotten then). */
  static List<String> takeViolations() {
    List<String> all = new ArrayList<>();
    OPEN.forEach(bed -> all.addAll(bed.availability.takeViolations()));
    return all;
  }

  private void recordHotfix(Hotfix h) {
    hotfixes.put(h.getMetadata().getNamespace() + "/" + h.getMetadata().getName(), h);
    if (h.getStatus() != null && h.getStatus().phase != null && h.getStatus().phase.isTerminal()) {
      availability.ended(h.getMetadata().getNamespace(), h.getMetadata().getName());
    }
    if (h.getStatus() != null && h.getStatus().phase != null) {
      List<Phase> seen = phasesServed.computeIfAbsent(h.getMetadata().getName(), k -> new CopyOnWriteArrayList<>());
      if (seen.isEmpty() || seen.get(seen.size() - 1) != h.getStatus().phase) {
        seen.add(h.getStatus().phase);
      }
    }
  }

  /**
   * The operator's writes to a Deployment (not its status or scale) that landed, counted by kind:
   * its apply patch starts its hold, its release patch ends it.
   */
  private void auditOperator(AuditedRequest request) {
    if (request.userAgent().equals(OPERATOR_USER_AGENT)) {
      operatorRequests.add(request.method() + " " + request.path() + " " + request.code());
    }
    Matcher path = TARGET_PATH.matcher(request.path());
    if (!request.isWrite() || !path.matches() || !request.userAgent().equals(OPERATOR_USER_AGENT)
        || request.code() / 100 != 2) {
      return;
    }
    String namespace = path.group(1);
    String deployment = path.group(3);
    OperatorWrites.Kind kind = OperatorWrites.kindOf(request.body());
    writes.merge(namespace + "/" + deployment, OperatorWrites.NONE.plus(kind), (a, b) -> a.plus(kind));
    if (!path.group(2).equals("deployments")) {
      return; // pod-level availability is judged here for Deployments; other kinds' tests judge their own
    }
    Matcher holder = ACTIVE_VALUE.matcher(request.body());
    if (kind == OperatorWrites.Kind.APPLY && holder.find()) {
      availability.held(namespace, deployment, holder.group(1));
    } else if (kind == OperatorWrites.Kind.RELEASE) {
      availability.released(namespace, deployment);
    }
  }

  /**
   * Anyone else's write to a held Deployment or its ReplicaSets (the test, kubectl; not the
   * simulated controllers) ends the hold as it arrives, before anything it causes: the owner's strategy may rule from then on.
   */
  private void auditOthers(AuditedRequest request) {
    if (!request.isWrite() || request.userAgent().equals(OPERATOR_USER_AGENT)
        || request.userAgent().equals(sandbox.client().getConfiguration().getUserAgent())) {
      return;
    }
    Matcher deployment = DEPLOYMENT_PATH.matcher(request.path());
    Matcher replicaSet = REPLICA_SET_PATH.matcher(request.path());
    if (deployment.matches()) {
      availability.released(deployment.group(1), deployment.group(2));
    } else if (replicaSet.matches()) {
      availability.replicaSetWritten(replicaSet.group(1), replicaSet.group(2));
    }
  }

  /** Creates a {@value #REPLICAS}-replica Deployment on {@link #GOOD} and waits until available. */
  public String deploymentReady(Consumer<Deployment> customize) {
    return deploymentReady(REPLICAS, customize);
  }

  /** Creates a Deployment on {@link #GOOD} (maxSurge 1, maxUnavailable 50%), waits until available. */
  public String deploymentReady(int replicas, Consumer<Deployment> customize) {
    String name = createDeployment(replicas, customize);
    awaitAvailable(name, replicas);
    return name;
  }

  /**
   * Creates a {@value #REPLICAS}-replica Deployment as {@code customize} changes it, without
   * waiting: for baselines that never become available.
   */
  public String deploymentCreated(Consumer<Deployment> customize) {
    return createDeployment(REPLICAS, customize);
  }

  public String createDeployment(int replicas, Consumer<Deployment> customize) {
    String name = "web" + SEQ.incrementAndGet();
    Deployment d = SampleWorkloads.deployment(NS, name, replicas, GOOD, OWNER_MAX_UNAVAILABLE);
    customize.accept(d);
    if ("Recreate".equals(d.getSpec().getStrategy().getType())) {
      d.getSpec().getStrategy().setRollingUpdate(null);
    }
    client.apps().deployments().inNamespace(NS).resource(d).create();
    return name;
  }

  public void awaitAvailable(String name, int replicas) {
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      Deployment now = deployment(name);
      return now.getStatus() != null && Integer.valueOf(replicas).equals(now.getStatus().getAvailableReplicas())
          && Integer.valueOf(replicas).equals(now.getStatus().getUpdatedReplicas())
          && Objects.equals(now.getStatus().getReplicas(), replicas);
    });
  }

  /** A Critical Hotfix of container {@code app} with test-sized timings ({@link HotfixFixtures#critical}). */
  public Hotfix hotfix(String target, String image, Consumer<HotfixSpec> customize) {
    return HotfixFixtures.critical(NS, "fix-" + SEQ.incrementAndGet(), target, image, customize);
  }

  public String create(Hotfix h) {
    client.resource(h).create();
    return h.getMetadata().getName();
  }

  public Hotfix runToEnd(Hotfix h) {
    return awaitTerminal(create(h));
  }

  public Hotfix awaitTerminal(String name) {
    return awaitTerminal(name, Duration.ofSeconds(60));
  }

  public Hotfix awaitTerminal(String name, Duration atMost) {
    return HotfixFixtures.awaitTerminal(client, NS, name, atMost);
  }

  public void awaitPhase(String name, Phase phase) {
    await().atMost(Duration.ofSeconds(30)).until(() -> phaseOf(name) == phase);
  }

  public Phase phaseOf(String name) {
    Hotfix h = get(name);
    return h == null || h.getStatus() == null ? null : h.getStatus().phase;
  }

  public Hotfix get(String name) {
    return client.resources(Hotfix.class).inNamespace(NS).withName(name).get();
  }

  public Deployment deployment(String name) {
    return client.apps().deployments().inNamespace(NS).withName(name).get();
  }

  public Map<String, String> images(String name) {
    return PodTemplates.images(deployment(name).getSpec().getTemplate());
  }

  /** The image of the Deployment's container {@code app}. */
  public String image(String deployment) {
    return images(deployment).get(SampleWorkloads.CONTAINER);
  }

  /** The pod-template-hash of the ReplicaSet that holds the Deployment's current template. */
  public String currentHash(String name) {
    Deployment d = deployment(name);
    List<ReplicaSet> rs = client.apps().replicaSets().inNamespace(NS).list().getItems();
    return new DeploymentRevisions(d, rs).current().map(DeploymentRevisions::hashOf).orElseThrow();
  }

  public List<Phase> phases(Hotfix h) {
    return h.getStatus().timeline.stream().map((TimelineEntry e) -> e.phase).toList();
  }

  /** Every Deployment version the API served so far, oldest first. */
  public List<Deployment> observed(String name) {
    return List.copyOf(observed.getOrDefault(name, List.of()));
  }

  /** Every version of the Deployment a watcher was served (as {@link #observed}). */
  public List<Deployment> served(String deployment) {
    return observed(deployment);
  }

  /**
   * The images of container {@code app} the Deployment's pod template went through, as served to
   * a watcher, consecutive repeats collapsed: one entry per rollout that really happened.
   */
  public List<String> rollouts(String deployment) {
    List<String> images = new ArrayList<>();
    for (Deployment d : observed(deployment)) {
      String image = PodTemplates.images(d.getSpec().getTemplate()).get(SampleWorkloads.CONTAINER);
      if (images.isEmpty() || !images.get(images.size() - 1).equals(image)) {
        images.add(image);
      }
    }
    return images;
  }

  /** The phases a watcher saw the Hotfix in, in order, repeats collapsed. */
  public List<Phase> phasesServed(String hotfix) {
    return List.copyOf(phasesServed.getOrDefault(hotfix, List.of()));
  }

  /** The operator's writes that landed on Deployment {@code name} so far, by kind. */
  public OperatorWrites writes(String name) {
    return writes.getOrDefault(NS + "/" + name, OperatorWrites.NONE);
  }

  /** Exactly these operator writes landed on Deployment {@code name}: no more, no fewer. */
  public void assertWrites(String name, int apply, int rollback, int release) {
    assertThat(writes(name)).as("the operator's writes to Deployment %s", name)
        .isEqualTo(new OperatorWrites(apply, rollback, release));
  }

  /**
   * The operator held Deployment {@code name} and, at every pod event meanwhile, its ready pods
   * were at least desired minus the Hotfix's allowed unavailable (checked for every test anyway).
   */
  public void assertAvailabilityNeverDropped(String name) {
    assertThat(availability.wasJudged(NS, name)).as("the operator patched %s and its pods were watched", name)
        .isTrue();
    assertThat(availability.violations(NS, name)).as("pod-level availability of %s", name).isEmpty();
  }
}
