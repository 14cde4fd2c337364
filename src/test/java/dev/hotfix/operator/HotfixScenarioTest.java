package dev.hotfix.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotfix.api.v1alpha1.ContainerImage;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixSpec;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.RolloutSpec;
import dev.hotfix.api.v1alpha1.Severity;
import dev.hotfix.api.v1alpha1.TargetRef;
import dev.hotfix.api.v1alpha1.TimelineEntry;
import dev.hotfix.api.v1alpha1.VerificationSpec;
import dev.hotfix.rollout.DeploymentRevisions;
import dev.hotfix.rollout.HotfixAnnotations;
import dev.hotfix.sandbox.Sandbox;
import dev.hotfix.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The core loop end to end on the sandbox: the operator in-process with real informers, the
 * simulated Deployment controller and kubelet. Every scenario checks the final phase, the
 * Deployment's final images, that availability never fell below desired at any observed step,
 * and the timeline.
 */
class HotfixScenarioTest {
  private static final String NS = "default";
  private static final String GOOD = "registry.example.com/web:1.0";
  private static final AtomicInteger SEQ = new AtomicInteger();

  private static Sandbox sandbox;
  private static KubernetesClient client;
  private static HotfixOperator operator;
  private static SharedIndexInformer<Deployment> informer;
  /** Every Deployment version the API served, per Deployment name. */
  private static final Map<String, List<Deployment>> observed = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() {
    sandbox = Sandbox.start(SandboxOptions.defaults().withPrometheus(false).withPodStartDelay(Duration.ofMillis(300)));
    client = sandbox.client();
    operator = HotfixOperator.start(client, OperatorOptions.defaults().withNamespaces(Set.of(NS)),
        PhaseListener.NONE);
    informer = client.apps().deployments().inNamespace(NS).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Deployment d) {
        record(d);
      }

      @Override
      public void onUpdate(Deployment old, Deployment d) {
        record(d);
      }

      @Override
      public void onDelete(Deployment d, boolean unknown) {
      }
    });
  }

  @AfterAll
  static void stop() {
    if (informer != null) {
      informer.close();
    }
    if (operator != null) {
      operator.close();
    }
    if (client != null) {
      client.close();
    }
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  void aGoodImageSucceedsAndTheDeploymentGoesBackToItsOwner() {
    String web = deploymentReady(d -> { });
    String previousHash = currentHash(web);

    Hotfix done = runToEnd(hotfix(web, "registry.example.com/web:1.1-hotfix.1", s -> { }));

    assertThat(done.getStatus().phase).isEqualTo(Phase.Succeeded);
    assertThat(images(web)).containsEntry("app", "registry.example.com/web:1.1-hotfix.1");
    assertThat(done.getStatus().previous.podTemplateHash).isEqualTo(previousHash);
    assertThat(done.getStatus().applied.podTemplateHash).isNotEqualTo(previousHash).isEqualTo(currentHash(web));
    assertThat(phases(done)).containsSubsequence(Phase.RollingOut, Phase.Verifying, Phase.Succeeded);
    Deployment after = deployment(web);
    assertThat(after.getMetadata().getAnnotations()).doesNotContainKeys(HotfixAnnotations.ACTIVE,
        HotfixAnnotations.PREVIOUS_REVISION);
    assertThat(after.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable()).isEqualTo(new IntOrString("25%"));
    assertAvailabilityNeverDropped(web);
    assertThat(done.getStatus().conditions).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Ready");
      assertThat(c.getStatus()).isEqualTo("True");
    });
  }

  @ParameterizedTest
  @CsvSource({
      "crashloop, CrashLoopBackOff|restarted",
      "unready, not ready after",
      "pullerr, ErrImagePull|ImagePullBackOff",
  })
  void aFaultyImageRollsBackToTheExactPreviousTemplate(String tag, String reasonPattern) {
    String web = deploymentReady(d -> { });
    String previousHash = currentHash(web);
    long previousRevision = DeploymentRevisions.revisionOf(deployment(web));

    Hotfix done = runToEnd(hotfix(web, "registry.example.com/web:1.1-" + tag, s -> s.rollout.podReadyTimeoutSeconds = 3));

    assertThat(done.getStatus().phase).isEqualTo(Phase.RolledBack);
    assertThat(done.getStatus().rollbackReason).startsWith("pod_fault: pod " + web + "-").containsPattern(reasonPattern);
    assertThat(images(web)).containsEntry("app", GOOD);
    assertThat(currentHash(web)).as("back on the exact previous template").isEqualTo(previousHash);
    assertThat(DeploymentRevisions.revisionOf(deployment(web))).isGreaterThan(previousRevision);
    assertThat(phases(done)).containsSubsequence(Phase.RollingOut, Phase.RollingBack, Phase.RolledBack);
    assertAvailabilityNeverDropped(web);
  }

  @Test
  void abortMidRolloutRollsBackOnRequest() {
    String web = deploymentReady(d -> { });
    String name = create(hotfix(web, "registry.example.com/web:1.1-unready", s -> { }));
    awaitPhase(name, Phase.RollingOut);
    await().atMost(Duration.ofSeconds(20)).until(() -> images(web).get("app").endsWith("unready"));

    Hotfix h = get(name);
    h.getSpec().abort = true;
    client.resource(h).update();

    Hotfix done = awaitTerminal(name);
    assertThat(done.getStatus().phase).isEqualTo(Phase.RolledBack);
    assertThat(done.getStatus().rollbackReason).startsWith("manual:");
    assertThat(images(web)).containsEntry("app", GOOD);
    assertAvailabilityNeverDropped(web);
  }

  @Test
  void aPersonChangingTheImageMidFlightSupersedesTheHotfixWithoutAFight() {
    String web = deploymentReady(d -> { });
    String name = create(hotfix(web, "registry.example.com/web:1.1-unready", s -> { }));
    await().atMost(Duration.ofSeconds(20)).until(() -> images(web).get("app").endsWith("unready"));

    client.apps().deployments().inNamespace(NS).withName(web).edit(d -> {
      d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("registry.example.com/web:1.2-by-hand");
      return d;
    });

    Hotfix done = awaitTerminal(name);
    assertThat(done.getStatus().phase).isEqualTo(Phase.Superseded);
    assertThat(done.getStatus().message).contains("changed by someone else", "web:1.2-by-hand");
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(images(web)).containsEntry("app", "registry.example.com/web:1.2-by-hand");
      assertThat(get(name).getStatus().phase).isEqualTo(Phase.Superseded);
    });
    assertThat(deployment(web).getMetadata().getAnnotations())
        .as("no write after stepping aside: not even its own annotation was removed")
        .containsEntry(HotfixAnnotations.ACTIVE, name);
  }

  @Test
  void aSecondHotfixOnTheSameDeploymentWaitsForTheFirst() {
    String web = deploymentReady(d -> { });
    String first = create(hotfix(web, "registry.example.com/web:1.1-hotfix.1", s -> s.verification.bakeSeconds = 3));
    awaitPhase(first, Phase.RollingOut);
    String second = create(hotfix(web, "registry.example.com/web:1.1-hotfix.2", s -> s.verification.bakeSeconds = 1));

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Hotfix waiting = get(second);
      assertThat(waiting.getStatus()).isNotNull();
      assertThat(waiting.getStatus().phase).isEqualTo(Phase.Pending);
      assertThat(waiting.getStatus().message).contains("waiting for Hotfix " + first);
    });

    assertThat(awaitTerminal(first).getStatus().phase).isEqualTo(Phase.Succeeded);
    Hotfix secondDone = awaitTerminal(second);
    assertThat(secondDone.getStatus().phase).isEqualTo(Phase.Succeeded);
    assertThat(secondDone.getStatus().previous.images).singleElement()
        .satisfies(i -> assertThat(i.image).isEqualTo("registry.example.com/web:1.1-hotfix.1"));
    assertThat(images(web)).containsEntry("app", "registry.example.com/web:1.1-hotfix.2");
    assertAvailabilityNeverDropped(web);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "missing-deployment | not found in namespace default: create it first or fix spec.target.name",
      "unknown-container  | container \"worker\" is not in Deployment",
      "recreate           | uses strategy Recreate",
      "paused             | is paused (spec.paused: true)",
      "no-history         | keeps no old ReplicaSets (revisionHistoryLimit: 0)",
  })
  void badInputIsRejectedWithWhatToFixAndTheDeploymentIsUntouched(String badInput, String message) {
    String web = deploymentReady(d -> {
      switch (badInput) {
        case "recreate" -> d.getSpec().getStrategy().setType("Recreate");
        case "no-history" -> d.getSpec().setRevisionHistoryLimit(0);
        default -> { }
      }
    });
    if (badInput.equals("paused")) {
      client.apps().deployments().inNamespace(NS).withName(web).edit(d -> {
        d.getSpec().setPaused(true);
        return d;
      });
      // let the controller record the pause first: it writes the Deployment's status once more
      await().atMost(Duration.ofSeconds(10)).until(() -> deployment(web).getStatus().getConditions().stream()
          .anyMatch(c -> "DeploymentPaused".equals(c.getReason())));
    }
    String rv = deployment(web).getMetadata().getResourceVersion();
    Hotfix h = hotfix(badInput.equals("missing-deployment") ? "no-such-deployment" : web,
        "registry.example.com/web:1.1-hotfix.1", s -> { });
    if (badInput.equals("unknown-container")) {
      h.getSpec().containers = List.of(new ContainerImage("worker", "registry.example.com/worker:2"));
    }

    Hotfix done = runToEnd(h);

    assertThat(done.getStatus().phase).isEqualTo(Phase.Rejected);
    assertThat(done.getStatus().message).contains(message);
    assertThat(deployment(web).getMetadata().getResourceVersion()).as("the Deployment is untouched").isEqualTo(rv);
  }

  // ---- fixtures ----

  private static void record(Deployment d) {
    observed.computeIfAbsent(d.getMetadata().getName(), k -> new CopyOnWriteArrayList<>()).add(d);
  }

  /** Creates a 3-replica Deployment on {@link #GOOD} (maxSurge 1, maxUnavailable 25%) and waits until available. */
  private static String deploymentReady(Consumer<Deployment> customize) {
    String name = "web" + SEQ.incrementAndGet();
    Deployment d = new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withNewSpec().withReplicas(3).withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate().withMaxSurge(new IntOrString(1))
        .withMaxUnavailable(new IntOrString("25%")).endRollingUpdate().endStrategy()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage(GOOD).endContainer().endSpec()
        .endTemplate().endSpec().build();
    customize.accept(d);
    if ("Recreate".equals(d.getSpec().getStrategy().getType())) {
      d.getSpec().getStrategy().setRollingUpdate(null);
    }
    client.apps().deployments().inNamespace(NS).resource(d).create();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      Deployment now = deployment(name);
      return now.getStatus() != null && Integer.valueOf(3).equals(now.getStatus().getAvailableReplicas())
          && Integer.valueOf(3).equals(now.getStatus().getUpdatedReplicas());
    });
    return name;
  }

  private static Hotfix hotfix(String target, String image, Consumer<HotfixSpec> customize) {
    Hotfix h = new Hotfix();
    h.getMetadata().setName("fix-" + SEQ.incrementAndGet());
    h.getMetadata().setNamespace(NS);
    HotfixSpec spec = new HotfixSpec();
    spec.severity = Severity.Critical;
    spec.reason = "scenario test";
    spec.target = new TargetRef();
    spec.target.name = target;
    spec.containers = List.of(new ContainerImage("app", image));
    spec.rollout = new RolloutSpec();
    spec.rollout.maxSurge = new IntOrString(1);
    spec.rollout.maxUnavailable = new IntOrString(0);
    spec.rollout.progressDeadlineSeconds = 30;
    spec.rollout.podReadyTimeoutSeconds = 10;
    spec.verification = new VerificationSpec();
    spec.verification.bakeSeconds = 2;
    spec.verification.intervalSeconds = 1;
    customize.accept(spec);
    h.setSpec(spec);
    return h;
  }

  private static String create(Hotfix h) {
    client.resource(h).create();
    return h.getMetadata().getName();
  }

  private static Hotfix runToEnd(Hotfix h) {
    return awaitTerminal(create(h));
  }

  private static Hotfix awaitTerminal(String name) {
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      Hotfix h = get(name);
      return h.getStatus() != null && h.getStatus().phase != null && h.getStatus().phase.isTerminal();
    });
    return get(name);
  }

  private static void awaitPhase(String name, Phase phase) {
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      Hotfix h = get(name);
      return h.getStatus() != null && h.getStatus().phase == phase;
    });
  }

  private static Hotfix get(String name) {
    return client.resources(Hotfix.class).inNamespace(NS).withName(name).get();
  }

  private static Deployment deployment(String name) {
    return client.apps().deployments().inNamespace(NS).withName(name).get();
  }

  private static Map<String, String> images(String name) {
    return dev.hotfix.rollout.PodTemplates.images(deployment(name).getSpec().getTemplate());
  }

  /** The pod-template-hash of the ReplicaSet that holds the Deployment's current template. */
  private static String currentHash(String name) {
    Deployment d = deployment(name);
    List<ReplicaSet> rs = client.apps().replicaSets().inNamespace(NS).list().getItems();
    return new DeploymentRevisions(d, rs).current().map(DeploymentRevisions::hashOf).orElseThrow();
  }

  private static List<Phase> phases(Hotfix h) {
    return h.getStatus().timeline.stream().map((TimelineEntry e) -> e.phase).toList();
  }

  /** From the first time it was fully available, availability never dropped below the 3 desired. */
  private static void assertAvailabilityNeverDropped(String name) {
    List<Deployment> seen = observed.getOrDefault(name, List.of()).stream()
        .dropWhile(d -> d.getStatus() == null || d.getStatus().getAvailableReplicas() == null
            || d.getStatus().getAvailableReplicas() < 3)
        .toList();
    assertThat(seen).isNotEmpty().allSatisfy(d -> assertThat(d.getStatus().getAvailableReplicas())
        .as("available replicas of %s at resourceVersion %s", name, d.getMetadata().getResourceVersion())
        .isGreaterThanOrEqualTo(3));
  }
}
