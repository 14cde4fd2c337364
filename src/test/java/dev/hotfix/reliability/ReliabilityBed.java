package dev.hotfix.reliability;

import static org.awaitility.Awaitility.await;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixSpec;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.operator.HotfixOperator;
import dev.hotfix.operator.OperatorOptions;
import dev.hotfix.operator.PhaseListener;
import dev.hotfix.operator.ReconcileTuning;
import dev.hotfix.outbound.EndpointAllowList;
import dev.hotfix.rollout.PodTemplates;
import dev.hotfix.sandbox.Informers;
import dev.hotfix.sandbox.Sandbox;
import dev.hotfix.sandbox.SandboxOptions;
import dev.hotfix.sandbox.api.FaultInjector;
import dev.hotfix.testing.HotfixFixtures;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The reliability suite's bed: a sandbox, operators started and stopped in-process at will (a
 * restart is a fresh operator with fresh informers and its own API client), the API server's
 * fault injector, and a record of every Deployment version served, to count the rollouts that
 * really happened. One per test class; {@link #close()} stops everything it started.
 */
final class ReliabilityBed implements AutoCloseable {
  static final String NS = "default";
  static final String GOOD = "registry.example.com/web:1.0";
  /** A short budget, so "beyond the retry budget" takes seconds, not minutes. */
  static final ReconcileTuning QUICK_RETRIES = ReconcileTuning.defaults()
      .withRetry(new GenericRetry().setMaxAttempts(3).setInitialInterval(200).setIntervalMultiplier(1.5),
          Duration.ofSeconds(1));
  private static final AtomicInteger SEQ = new AtomicInteger();

  final Sandbox sandbox;
  final KubernetesClient client;
  private final SharedIndexInformer<Deployment> informer;
  private final SharedIndexInformer<Hotfix> hotfixInformer;
  private final Map<String, List<Deployment>> served = new ConcurrentHashMap<>();
  private final Map<String, List<Phase>> phasesServed = new ConcurrentHashMap<>();
  private final List<AutoCloseable> running = new CopyOnWriteArrayList<>();

  ReliabilityBed(SandboxOptions options) {
    sandbox = Sandbox.start(options);
    client = sandbox.client();
    informer = client.apps().deployments().inNamespace(NS).inform(Informers.onChange(d ->
        served.computeIfAbsent(d.getMetadata().getName(), k -> new CopyOnWriteArrayList<>()).add(d)));
    hotfixInformer = client.resources(Hotfix.class).inNamespace(NS).inform(Informers.onChange(h -> {
      if (h.getStatus() != null && h.getStatus().phase != null) {
        List<Phase> seen = phasesServed.computeIfAbsent(h.getMetadata().getName(), k -> new CopyOnWriteArrayList<>());
        if (seen.isEmpty() || seen.get(seen.size() - 1) != h.getStatus().phase) {
          seen.add(h.getStatus().phase);
        }
      }
    }));
  }

  FaultInjector faults() {
    return sandbox.apiFaults();
  }

  /** Starts an operator on its own client (2 s request timeout, one client-side retry) watching {@link #NS}. */
  Running startOperator(OperatorOptions options, ReconcileTuning tuning) {
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl(sandbox.apiUrl().toString()).withNamespace(NS)
        .withRequestTimeout(2_000).withRequestRetryBackoffLimit(1).withRequestRetryBackoffInterval(50).build();
    KubernetesClient operatorClient = new KubernetesClientBuilder().withConfig(config).build();
    // the sandbox's Prometheus and the tests' stubs listen on loopback; Hotfixes are created
    // without the admission webhook: trusted as run --trust-unverified-requesters
    HotfixOperator operator = HotfixOperator.start(operatorClient, options.withNamespaces(Set.of(NS))
        .withAllowedEndpoints(EndpointAllowList.LOOPBACK).withUnverifiedRequestersTrusted(true), PhaseListener.NONE,
        tuning);
    Running r = new Running(operator, operatorClient);
    running.add(r);
    return r;
  }

  /** One operator process, as far as the cluster can tell: stopping it is a crash or a shutdown. */
  final class Running implements AutoCloseable {
    private final HotfixOperator operator;
    private final KubernetesClient operatorClient;

    Running(HotfixOperator operator, KubernetesClient operatorClient) {
      this.operator = operator;
      this.operatorClient = operatorClient;
    }

    @Override
    public void close() {
      running.remove(this);
      operator.close();
      operatorClient.close();
    }
  }

  @Override
  public void close() {
    for (AutoCloseable r : List.copyOf(running)) {
      try {
        r.close();
      } catch (Exception e) {
        // keep stopping the rest
      }
    }
    informer.close();
    hotfixInformer.close();
    client.close();
    sandbox.close();
  }

  /** Creates a Deployment on {@link #GOOD} (maxSurge 1, maxUnavailable 25%), waits until available. */
  String deploymentReady(int replicas, Consumer<Deployment> customize) {
    String name = createDeployment(replicas, customize);
    awaitAvailable(name, replicas);
    return name;
  }

  String createDeployment(int replicas, Consumer<Deployment> customize) {
    String name = "web" + SEQ.incrementAndGet();
    Deployment d = HotfixFixtures.deployment(NS, name, replicas, GOOD);
    customize.accept(d);
    client.apps().deployments().inNamespace(NS).resource(d).create();
    return name;
  }

  void awaitAvailable(String name, int replicas) {
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      Deployment now = deployment(name);
      return now.getStatus() != null && Integer.valueOf(replicas).equals(now.getStatus().getAvailableReplicas())
          && Integer.valueOf(replicas).equals(now.getStatus().getUpdatedReplicas())
          && Objects.equals(now.getStatus().getReplicas(), replicas);
    });
  }

  /** A Critical Hotfix of container {@code app} with test-sized timings ({@link HotfixFixtures#critical}). */
  Hotfix hotfix(String target, String image, Consumer<HotfixSpec> customize) {
    return HotfixFixtures.critical(NS, "fix-" + SEQ.incrementAndGet(), target, image, customize);
  }

  String create(Hotfix h) {
    client.resource(h).create();
    return h.getMetadata().getName();
  }

  Hotfix awaitTerminal(String name) {
    return awaitTerminal(name, Duration.ofSeconds(60));
  }

  Hotfix awaitTerminal(String name, Duration atMost) {
    return HotfixFixtures.awaitTerminal(client, NS, name, atMost);
  }

  void awaitPhase(String name, Phase phase) {
    await().atMost(Duration.ofSeconds(30)).until(() -> phaseOf(name) == phase);
  }

  Phase phaseOf(String name) {
    Hotfix h = get(name);
    return h == null || h.getStatus() == null ? null : h.getStatus().phase;
  }

  Hotfix get(String name) {
    return client.resources(Hotfix.class).inNamespace(NS).withName(name).get();
  }

  Deployment deployment(String name) {
    return client.apps().deployments().inNamespace(NS).withName(name).get();
  }

  String image(String deployment) {
    return PodTemplates.images(deployment(deployment).getSpec().getTemplate()).get("app");
  }

  /**
   * The images the Deployment's pod template went through, as served to a watcher, consecutive
   * repeats collapsed: one entry per rollout that really happened.
   */
  List<String> rollouts(String deployment) {
    List<String> images = new ArrayList<>();
    for (Deployment d : served.getOrDefault(deployment, List.of())) {
      String image = PodTemplates.images(d.getSpec().getTemplate()).get("app");
      if (images.isEmpty() || !images.get(images.size() - 1).equals(image)) {
        images.add(image);
      }
    }
    return images;
  }

  /** Every version of the Deployment a watcher was served. */
  List<Deployment> served(String deployment) {
    return List.copyOf(served.getOrDefault(deployment, List.of()));
  }

  /** The phases a watcher saw the Hotfix in, in order, repeats collapsed. */
  List<Phase> phasesServed(String hotfix) {
    return List.copyOf(phasesServed.getOrDefault(hotfix, List.of()));
  }

  List<Phase> phases(Hotfix h) {
    return h.getStatus().timeline.stream().map(e -> e.phase).toList();
  }
}
