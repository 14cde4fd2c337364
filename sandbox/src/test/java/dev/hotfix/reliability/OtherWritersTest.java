package dev.hotfix.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotfix.api.v1alpha1.DeletionAction;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixPolicy;
import dev.hotfix.api.v1alpha1.HotfixPolicySpec;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.SafetyLimits;
import dev.hotfix.operator.OperatorOptions;
import dev.hotfix.operator.ReconcileTuning;
import dev.hotfix.rollout.HotfixAnnotations;
import dev.hotfix.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, item 3: other writers and other Hotfixes. Two Hotfixes racing for one Deployment, a
 * person or a GitOps controller rewriting the template, an HPA changing replicas, two bad fixes
 * in a row, the target or the Hotfix itself deleted mid-rollout.
 */
class OtherWritersTest {
  private static final String FIXED = "registry.example.com/web:1.1-hotfix.1";
  private static final String UNREADY = "registry.example.com/web:1.1-unready";
  private static ReliabilityBed bed;
  private static WriteLog writes;
  private static ReliabilityBed.Running operator;

  @BeforeAll
  static void start() {
    bed = new ReliabilityBed(SandboxOptions.defaults().withPrometheus(false).withPodStartDelay(Duration.ofMillis(300)));
    writes = new WriteLog();
    operator = bed.startOperator(OperatorOptions.defaults(), ReconcileTuning.defaults().withSeam(writes.survivor()));
  }

  @AfterAll
  static void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void twoHotfixesRacingForOneDeploymentTakeTurns() {
    String web = bed.deploymentReady(ReliabilityBed.REPLICAS, d -> { });
    Hotfix a = bed.hotfix(web, "registry.example.com/web:1.1-a", s -> { });
    Hotfix b = bed.hotfix(web, "registry.example.com/web:1.1-b", s -> { });

    CompletableFuture.allOf(CompletableFuture.runAsync(() -> bed.create(a)),
        CompletableFuture.runAsync(() -> bed.create(b))).join();
    Hotfix doneA = bed.awaitTerminal(a.getMetadata().getName());
    Hotfix doneB = bed.awaitTerminal(b.getMetadata().getName());

    assertThat(List.of(doneA.getStatus().phase, doneB.getStatus().phase)).containsOnly(Phase.Succeeded);
    List<String> holders = holders(web);
    assertThat(holders).as("one holder at a time, each released before the next: %s", holders)
        .hasSize(5).containsOnlyOnce(a.getMetadata().getName(), b.getMetadata().getName());
    assertThat(holders.get(0)).isEmpty();
    assertThat(holders.get(2)).isEmpty();
    assertThat(holders.get(4)).isEmpty();
    Hotfix second = holders.get(1).equals(a.getMetadata().getName()) ? doneB : doneA;
    Hotfix first = second == doneA ? doneB : doneA;
    assertThat(second.getStatus().previous.images).as("the second recorded what the first left")
        .singleElement().satisfies(i -> assertThat(i.image).isEqualTo(first.getStatus().applied.images.get(0).image));
    assertThat(bed.rollouts(web)).hasSize(3);
    bed.assertWrites(web, 2, 0, 2);
  }

  @Test
  void aTemplateRewrittenMidRolloutSupersedesWithoutAFightOrALoop() {
    String web = bed.deploymentReady(ReliabilityBed.REPLICAS, d -> { });
    String name = bed.create(bed.hotfix(web, UNREADY, s -> { }));
    await().atMost(Duration.ofSeconds(20)).until(() -> UNREADY.equals(bed.image(web)));
    int patchesBefore = writes.patches().size();

    // what Argo CD self-heal or `kubectl set image` sends: no resourceVersion
    bed.client.apps().deployments().inNamespace(ReliabilityBed.NS).withName(web).patch(
        PatchContext.of(PatchType.STRATEGIC_MERGE), "{\"spec\":{\"template\":{\"spec\":{\"containers\":"
            + "[{\"name\":\"app\",\"image\":\"registry.example.com/web:1.2-gitops\"}]}}}}");

    Hotfix done = bed.awaitTerminal(name);
    assertThat(done.getStatus().phase).isEqualTo(Phase.Superseded);
    // the terminal status and the finalizer's release are two writes: settled after the second
    await().atMost(Duration.ofSeconds(10)).until(() -> bed.get(name).getMetadata().getFinalizers() == null
        || bed.get(name).getMetadata().getFinalizers().isEmpty());
    String settled = bed.get(name).getMetadata().getResourceVersion();
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(bed.image(web)).isEqualTo("registry.example.com/web:1.2-gitops");
      assertThat(bed.get(name).getMetadata().getResourceVersion()).as("no status loop").isEqualTo(settled);
    });
    assertThat(writes.patches()).as("no write to the Deployment after the other writer's").hasSize(patchesBefore);
    assertThat(bed.get(name).getMetadata().getFinalizers()).as("finalizer let go").isNullOrEmpty();
    bed.assertWrites(web, 1, 0, 0);
  }

  @Test
  void anHpaScalingMidRolloutIsNeverUndone() {
    String web = bed.deploymentReady(ReliabilityBed.REPLICAS, d -> { });
    String name = bed.create(bed.hotfix(web, FIXED, s -> s.verification.bakeSeconds = 3));
    await().atMost(Duration.ofSeconds(20)).until(() -> FIXED.equals(bed.image(web)));

    // what an HPA sends: the scale subresource
    bed.client.apps().deployments().inNamespace(ReliabilityBed.NS).withName(web).scale(5);

    Hotfix done = bed.awaitTerminal(name);
    assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(Phase.Succeeded);
    assertThat(bed.deployment(web).getSpec().getReplicas()).isEqualTo(5);
    bed.awaitAvailable(web, 5);
    assertThat(writes.patches()).noneMatch(p -> p.contains("replicas"));
    List<Integer> replicas = bed.served(web).stream().map(d -> d.getSpec().getReplicas()).toList();
    assertThat(replicas.subList(replicas.indexOf(5), replicas.size())).as("never scaled back").containsOnly(5);
    bed.assertWrites(web, 1, 0, 1);
  }

  @Test
  void aSecondBadHotfixRollsBackToTheLastKnownGoodTemplate() {
    String web = bed.deploymentReady(ReliabilityBed.REPLICAS, d -> { });
    Hotfix first = bed.hotfix(web, "registry.example.com/web:1.1-crashloop", s -> { });
    Hotfix second = bed.hotfix(web, "registry.example.com/web:1.2-pullerr", s -> { });
    bed.create(first);
    bed.awaitPhase(first.getMetadata().getName(), Phase.RollingOut);
    bed.create(second);

    Hotfix firstDone = bed.awaitTerminal(first.getMetadata().getName());
    Hotfix secondDone = bed.awaitTerminal(second.getMetadata().getName());

    assertThat(firstDone.getStatus().phase).isEqualTo(Phase.RolledBack);
    assertThat(secondDone.getStatus().phase).isEqualTo(Phase.RolledBack);
    assertThat(secondDone.getStatus().previous.images).singleElement()
        .satisfies(i -> assertThat(i.image).isEqualTo(ReliabilityBed.GOOD));
    assertThat(secondDone.getStatus().previous.podTemplateHash)
        .isEqualTo(firstDone.getStatus().previous.podTemplateHash);
    assertThat(bed.image(web)).isEqualTo(ReliabilityBed.GOOD);
    assertThat(bed.rollouts(web)).containsExactly(ReliabilityBed.GOOD, "registry.example.com/web:1.1-crashloop",
        ReliabilityBed.GOOD, "registry.example.com/web:1.2-pullerr", ReliabilityBed.GOOD);
    bed.assertWrites(web, 2, 2, 2);
  }

  @Test
  void theTargetDeletedMidRolloutEndsFailedWithWhatHappened() {
    String web = bed.deploymentReady(ReliabilityBed.REPLICAS, d -> { });
    String name = bed.create(bed.hotfix(web, UNREADY, s -> { }));
    await().atMost(Duration.ofSeconds(20)).until(() -> UNREADY.equals(bed.image(web)));

    bed.client.apps().deployments().inNamespace(ReliabilityBed.NS).withName(web).delete();

    Hotfix done = bed.awaitTerminal(name);
    assertThat(done.getStatus().phase).isEqualTo(Phase.Failed);
    assertThat(done.getStatus().message).isEqualTo("Deployment " + web + " was deleted during the rollout: nothing "
        + "left to roll back");
    // the terminal status and the finalizer's release are two writes
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(bed.get(name).getMetadata().getFinalizers()).isNullOrEmpty());
    bed.assertWrites(web, 1, 0, 0);
  }

  @Test
  void deletingAHotfixMidRolloutRollsBackByDefault() {
    String web = bed.deploymentReady(ReliabilityBed.REPLICAS, d -> { });
    String name = bed.create(bed.hotfix(web, UNREADY, s -> s.rollout.podReadyTimeoutSeconds = 60));
    await().atMost(Duration.ofSeconds(20)).until(() -> UNREADY.equals(bed.image(web))
        && bed.get(name).getMetadata().getFinalizers().contains("hotfix.dev/cleanup"));

    bed.client.resources(Hotfix.class).inNamespace(ReliabilityBed.NS).withName(name).delete();

    await().atMost(Duration.ofSeconds(30)).until(() -> bed.get(name) == null);
    assertThat(bed.image(web)).isEqualTo(ReliabilityBed.GOOD);
    assertThat(bed.rollouts(web)).containsExactly(ReliabilityBed.GOOD, UNREADY, ReliabilityBed.GOOD);
    assertThat(bed.phasesServed(name)).containsSubsequence(Phase.RollingOut, Phase.RollingBack, Phase.RolledBack);
    assertReleased(web);
    bed.assertWrites(web, 1, 1, 1);
  }

  /** onDelete: Leave needs a policy that allows it (SpecLimits refuses it by default). */
  @Test
  void deletingAHotfixWithOnDeleteLeaveKeepsTheNewRevision() {
    HotfixPolicy policy = new HotfixPolicy();
    policy.getMetadata().setName(HotfixPolicy.DEFAULT_NAME);
    policy.getMetadata().setNamespace(ReliabilityBed.NS);
    policy.setSpec(new HotfixPolicySpec());
    policy.getSpec().limits = new SafetyLimits();
    policy.getSpec().limits.allowLeaveOnDelete = true;
    bed.client.resource(policy).create();
    try {
      deleteMidVerificationAndLeave();
    } finally {
      bed.client.resource(policy).delete();
    }
  }

  private static void deleteMidVerificationAndLeave() {
    String web = bed.deploymentReady(ReliabilityBed.REPLICAS, d -> { });
    String name = bed.create(bed.hotfix(web, FIXED, s -> {
      s.verification.bakeSeconds = 120;
      s.rollback = new dev.hotfix.api.v1alpha1.RollbackSpec();
      s.rollback.onDelete = DeletionAction.Leave;
    }));
    bed.awaitPhase(name, Phase.Verifying);

    bed.client.resources(Hotfix.class).inNamespace(ReliabilityBed.NS).withName(name).delete();

    await().atMost(Duration.ofSeconds(30)).until(() -> bed.get(name) == null);
    assertThat(bed.image(web)).isEqualTo(FIXED);
    assertThat(bed.rollouts(web)).containsExactly(ReliabilityBed.GOOD, FIXED);
    assertThat(bed.phasesServed(name)).endsWith(Phase.Verifying, Phase.Failed);
    assertReleased(web);
    bed.assertWrites(web, 1, 0, 1);
  }

  @Test
  void aFinishedHotfixIsDeletedAtOnceEvenWithNoOperatorRunning() {
    String web = bed.deploymentReady(ReliabilityBed.REPLICAS, d -> { });
    Hotfix done = bed.awaitTerminal(bed.create(bed.hotfix(web, FIXED, s -> { })));
    assertThat(done.getStatus().phase).isEqualTo(Phase.Succeeded);
    bed.assertWrites(web, 1, 0, 1);
    await().atMost(Duration.ofSeconds(5)).until(() -> bed.get(done.getMetadata().getName()).getMetadata()
        .getFinalizers().isEmpty());

    operator.close();
    try {
      bed.client.resources(Hotfix.class).inNamespace(ReliabilityBed.NS).withName(done.getMetadata().getName()).delete();
      await().atMost(Duration.ofSeconds(5)).until(() -> bed.get(done.getMetadata().getName()) == null);
    } finally {
      operator = bed.startOperator(OperatorOptions.defaults(), ReconcileTuning.defaults().withSeam(writes.survivor()));
    }
  }

  /** The Deployment is back with its owner: no Hotfix annotations, the owner's maxUnavailable. */
  private static void assertReleased(String web) {
    Deployment d = bed.deployment(web);
    assertThat(d.getMetadata().getAnnotations()).doesNotContainKeys(HotfixAnnotations.ACTIVE,
        HotfixAnnotations.PREVIOUS_REVISION);
    assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable()).isEqualTo(ReliabilityBed.OWNER_MAX_UNAVAILABLE);
  }

  /** The sequence of {@code hotfix.dev/active} values the Deployment went through ("" for none). */
  private static List<String> holders(String web) {
    List<String> holders = new ArrayList<>();
    for (Deployment d : bed.served(web)) {
      Map<String, String> annotations = d.getMetadata().getAnnotations();
      String holder = annotations == null ? ""
          : Objects.requireNonNullElse(annotations.get(HotfixAnnotations.ACTIVE), "");
      if (holders.isEmpty() || !holders.get(holders.size() - 1).equals(holder)) {
        holders.add(holder);
      }
    }
    return holders;
  }
}
