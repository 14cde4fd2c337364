package dev.hotfix.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixSpec;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.TimelineEntry;
import dev.hotfix.rollout.DeploymentRevisions;
import dev.hotfix.sandbox.Informers;
import dev.hotfix.sandbox.Sandbox;
import dev.hotfix.sandbox.SandboxOptions;
import dev.hotfix.sandbox.prometheus.PrometheusServer;
import dev.hotfix.testing.HotfixFixtures;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The bed of the scenario tests: a sandbox, the operator in-process against it, an informer
 * recording every Deployment version served, and the helpers that create Deployments and
 * Hotfixes and wait for their outcome. One per test class; {@link #close()} stops it all.
 */
final class ScenarioBed implements AutoCloseable {
  static final String NS = "default";
  static final String GOOD = "registry.example.com/web:1.0";
  private static final AtomicInteger SEQ = new AtomicInteger();

  private final Sandbox sandbox;
  final KubernetesClient client;
  /** The bed's own operator; null when the test starts its operators itself. */
  private final HotfixOperator operator;
  private final SharedIndexInformer<Deployment> informer;
  /** Every Deployment version the API served, per Deployment name. */
  private final Map<String, List<Deployment>> observed = new ConcurrentHashMap<>();

  /**
   * Starts the sandbox with {@code sandboxOptions} and the operator with {@code operatorOptions}
   * (watching {@link #NS} unless they name namespaces).
   */
  ScenarioBed(SandboxOptions sandboxOptions, OperatorOptions operatorOptions) {
    this(sandboxOptions, operatorOptions, true);
  }

  private ScenarioBed(SandboxOptions sandboxOptions, OperatorOptions operatorOptions, boolean startOperator) {
    sandbox = Sandbox.start(sandboxOptions);
    client = sandbox.client();
    informer = client.apps().deployments().inAnyNamespace().inform(Informers.onChange(this::record));
    if (!startOperator) {
      operator = null;
      return;
    }
    OperatorOptions options = operatorOptions != null ? operatorOptions : OperatorOptions.defaults()
        .withPrometheusUrl(Optional.of(sandbox.prometheusUrl().orElseThrow(() -> {
          sandbox.close();
          return new IllegalStateException("the sandbox runs no Prometheus: " + PrometheusServer.NOT_FOUND);
        })));
    operator = HotfixOperator.start(client, options.namespaces().isEmpty()
        ? options.withNamespaces(java.util.Set.of(NS)) : options, PhaseListener.NONE);
  }

  /** A bed without Prometheus whose pods start in 300 ms, and its operator with default options. */
  static ScenarioBed quick() {
    return new ScenarioBed(SandboxOptions.defaults().withPrometheus(false).withPodStartDelay(Duration.ofMillis(300)),
        OperatorOptions.defaults());
  }

  /** A sandbox and the test's client, without an operator: for tests that start operators themselves. */
  static ScenarioBed withoutOperator(SandboxOptions sandboxOptions) {
    return new ScenarioBed(sandboxOptions, null, false);
  }


  /** A bed whose operator queries the sandbox's own Prometheus, which must be running. */
  static ScenarioBed withSandboxPrometheus(SandboxOptions sandboxOptions) {
    return new ScenarioBed(sandboxOptions, null);
  }

  /** The sandbox's API server, for tests that build their own clients. */
  URI apiUrl() {
    return sandbox.apiUrl();
  }

  /** Writes a kubeconfig for the real kubectl: the sandbox's admin, others with {@code --as}. */
  Path writeKubeconfig(Path file) {
    return sandbox.writeKubeconfig(file);
  }

  /** The sandbox's Prometheus, for a HotfixPolicy naming it; fails when the sandbox runs none. */
  URI prometheusUrl() {
    return sandbox.prometheusUrl().orElseThrow(() -> new IllegalStateException(PrometheusServer.NOT_FOUND));
  }

  @Override
  public void close() {
    informer.close();
    if (operator != null) {
      operator.close();
    }
    client.close();
    sandbox.close();
  }

  private void record(Deployment d) {
    observed.computeIfAbsent(d.getMetadata().getName(), k -> new CopyOnWriteArrayList<>()).add(d);
  }

  /** Creates a 3-replica Deployment on {@link #GOOD} (maxSurge 1, maxUnavailable 25%) and waits until available. */
  String deploymentReady(Consumer<Deployment> customize) {
    String name = deploymentCreated(customize);
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      Deployment now = deployment(name);
      return now.getStatus() != null && Integer.valueOf(3).equals(now.getStatus().getAvailableReplicas())
          && Integer.valueOf(3).equals(now.getStatus().getUpdatedReplicas());
    });
    return name;
  }

  /**
   * Creates a 3-replica Deployment on {@link #GOOD} (maxSurge 1, maxUnavailable 25%) as
   * {@code customize} changes it, without waiting: for baselines that never become available.
   */
  String deploymentCreated(Consumer<Deployment> customize) {
    String name = "web" + SEQ.incrementAndGet();
    Deployment d = HotfixFixtures.deployment(NS, name, 3, GOOD);
    customize.accept(d);
    if ("Recreate".equals(d.getSpec().getStrategy().getType())) {
      d.getSpec().getStrategy().setRollingUpdate(null);
    }
    client.apps().deployments().inNamespace(NS).resource(d).create();
    return name;
  }

  Hotfix hotfix(String target, String image, Consumer<HotfixSpec> customize) {
    return HotfixFixtures.critical(NS, "fix-" + SEQ.incrementAndGet(), target, image, customize);
  }

  String create(Hotfix h) {
    client.resource(h).create();
    return h.getMetadata().getName();
  }

  Hotfix runToEnd(Hotfix h) {
    return awaitTerminal(create(h));
  }

  Hotfix awaitTerminal(String name) {
    return HotfixFixtures.awaitTerminal(client, NS, name, Duration.ofSeconds(60));
  }

  void awaitPhase(String name, Phase phase) {
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      Hotfix h = get(name);
      return h.getStatus() != null && h.getStatus().phase == phase;
    });
  }

  Hotfix get(String name) {
    return client.resources(Hotfix.class).inNamespace(NS).withName(name).get();
  }

  Deployment deployment(String name) {
    return client.apps().deployments().inNamespace(NS).withName(name).get();
  }

  Map<String, String> images(String name) {
    return dev.hotfix.rollout.PodTemplates.images(deployment(name).getSpec().getTemplate());
  }

  /** The pod-template-hash of the ReplicaSet that holds the Deployment's current template. */
  String currentHash(String name) {
    Deployment d = deployment(name);
    List<ReplicaSet> rs = client.apps().replicaSets().inNamespace(NS).list().getItems();
    return new DeploymentRevisions(d, rs).current().map(DeploymentRevisions::hashOf).orElseThrow();
  }

  List<Phase> phases(Hotfix h) {
    return h.getStatus().timeline.stream().map((TimelineEntry e) -> e.phase).toList();
  }

  /** Every Deployment version the API served so far, oldest first. */
  List<Deployment> observed(String name) {
    return List.copyOf(observed.getOrDefault(name, List.of()));
  }

  /** From the first time it was fully available, availability never dropped below the 3 desired. */
  void assertAvailabilityNeverDropped(String name) {
    List<Deployment> seen = observed.getOrDefault(name, List.of()).stream()
        .dropWhile(d -> d.getStatus() == null || d.getStatus().getAvailableReplicas() == null
            || d.getStatus().getAvailableReplicas() < 3)
        .toList();
    assertThat(seen).isNotEmpty().allSatisfy(d -> assertThat(d.getStatus().getAvailableReplicas())
        .as("available replicas of %s at resourceVersion %s", name, d.getMetadata().getResourceVersion())
        .isGreaterThanOrEqualTo(3));
  }

}
