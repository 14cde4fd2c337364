package dev.hotfix.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotfix.api.v1alpha1.ContainerImage;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.rollout.HotfixAnnotations;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The emergency a hot fix is for, on the sandbox: a Deployment already broken, rollouts blocked
 * before any pod runs, and the rollback target when the replaced revision was itself failing.
 * Each test was seen failing with its fix reverted: the crash-looping baseline waits in Pending
 * for ever without the broken-baseline rule (PendingHandler.baselineFault); the bad Hotfix on a
 * broken baseline goes RollingBack into the crash loop without RollbackDecision.noSafeRollback; the stuck
 * rollout rolls back into the crash-looping revision without the last-known-good target; the
 * quota and init-crash rollouts wait for their 600 s deadline (past the test's wait) without
 * the ReplicaFailure and init-container reads of PodFaults.
 */
class BrokenBaselineScenarioTest {
  /** Far beyond the test's waits: a rollback before it can only be the pod-fault gate's. */
  private static final int LONG_DEADLINE = 600;
  private static ScenarioBed bed;

  @BeforeAll
  static void start() {
    bed = ScenarioBed.quick();
  }

  @AfterAll
  static void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void aHotfixOnACrashLoopingBaselineProceedsAndSucceeds() {
    String web = bed.deploymentCreated(d -> d.getSpec().getTemplate().getSpec().getContainers().get(0)
        .setImage("registry.example.com/web:1.0-crashloop"));

    Hotfix done = bed.runToEnd(bed.hotfix(web, "registry.example.com/web:1.1-hotfix.1", s -> { }));

    assertThat(done.getStatus().phase).isEqualTo(Phase.Succeeded);
    assertThat(done.getStatus().previous.failing).contains("CrashLoopBackOff");
    assertThat(bed.images(web)).containsEntry("app", "registry.example.com/web:1.1-hotfix.1");
    assertThat(bed.deployment(web).getStatus().getAvailableReplicas()).isEqualTo(ScenarioBed.REPLICAS);
    assertThat(bed.deployment(web).getMetadata().getAnnotations())
        .as("the verified revision is the last known good from now on")
        .containsEntry(HotfixAnnotations.LAST_GOOD, done.getStatus().applied.podTemplateHash)
        .doesNotContainKeys(HotfixAnnotations.ACTIVE, HotfixAnnotations.ATTEMPT);
    assertThat(bed.phases(done)).containsSubsequence(Phase.RollingOut, Phase.Verifying, Phase.Succeeded);
  }

  @Test
  void aBadHotfixOnABrokenBaselineStopsFailedInsteadOfRollingBackIntoTheOutage() {
    String web = bed.deploymentCreated(d -> d.getSpec().getTemplate().getSpec().getContainers().get(0)
        .setImage("registry.example.com/web:1.0-crashloop"));

    Hotfix done = bed.runToEnd(bed.hotfix(web, "registry.example.com/web:1.1-unready",
        s -> s.rollout.podReadyTimeoutSeconds = 3));

    assertThat(done.getStatus().phase).isEqualTo(Phase.Failed);
    assertThat(done.getStatus().message).contains("not ready after 3s", "NOT rolled back",
        "was already broken before this Hotfix (pod " + web + "-", "is left on app=registry.example.com/web:1.1-unready");
    assertThat(bed.phases(done)).doesNotContain(Phase.RollingBack, Phase.RolledBack);
    assertThat(bed.images(web)).as("left in place, not rolled back into the crash loop")
        .containsEntry("app", "registry.example.com/web:1.1-unready");
    assertThat(bed.deployment(web).getMetadata().getAnnotations()).doesNotContainKeys(HotfixAnnotations.ACTIVE,
        HotfixAnnotations.ATTEMPT);
  }

  /** The owner's own rollout is stuck on a crash loop while the old revision still serves: that one is the target. */
  @Test
  void aBadHotfixOnAStuckRolloutRollsBackToTheLastRevisionThatServed() {
    String web = bed.deploymentReady(d -> { });
    bed.client.apps().deployments().inNamespace(ScenarioBed.NS).withName(web).edit(d -> {
      d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("registry.example.com/web:1.1-crashloop");
      return d;
    });

    Hotfix done = bed.runToEnd(bed.hotfix(web, "registry.example.com/web:1.2-unready",
        s -> s.rollout.podReadyTimeoutSeconds = 3));

    assertThat(done.getStatus().phase).isEqualTo(Phase.RolledBack);
    assertThat(done.getStatus().previous.failing).contains("CrashLoopBackOff");
    assertThat(done.getStatus().lastKnownGood.images).singleElement()
        .satisfies(i -> assertThat(i.image).isEqualTo(ScenarioBed.GOOD));
    assertThat(done.getStatus().message).contains("rolled back to the last known good revision");
    assertThat(bed.images(web)).containsEntry("app", ScenarioBed.GOOD);
    bed.assertAvailabilityNeverDropped(web);
  }

  @Test
  void aRolloutBlockedByAResourceQuotaIsRolledBackOnTheReplicaFailureNotTheDeadline() {
    String web = bed.deploymentReady(d -> { });
    // pre-flight refuses a Hotfix the quota has no room for: the quota comes while pre-flight's
    // dry run is held, after its quota check, as a quota filled by someone else in between would
    bed.faults().delay(r -> r.method().equals("PATCH") && "All".equals(r.query().get("dryRun")), Duration.ofMillis(1500),
        1);
    String name = bed.create(bed.hotfix(web, "registry.example.com/web:1.1-hotfix.1",
        s -> s.rollout.progressDeadlineSeconds = LONG_DEADLINE));
    await().atMost(Duration.ofSeconds(20)).until(() -> bed.faults().injected() > 0);
    int podsNow = bed.client.pods().inNamespace(ScenarioBed.NS).list().getItems().size();
    ResourceQuota quota = bed.client.resourceQuotas().inNamespace(ScenarioBed.NS).resource(new ResourceQuotaBuilder()
        .withNewMetadata().withName("pods-" + web).endMetadata()
        .withNewSpec().addToHard("pods", new io.fabric8.kubernetes.api.model.Quantity(String.valueOf(podsNow)))
        .endSpec().build()).create();
    try {
      Hotfix done = bed.awaitTerminal(name);

      assertThat(done.getStatus().phase).isEqualTo(Phase.RolledBack);
      assertThat(done.getStatus().rollbackReason).startsWith("pod_fault: ReplicaSet " + web + "-")
          .contains("FailedCreate", "exceeded quota: pods-" + web);
      assertThat(bed.images(web)).containsEntry("app", ScenarioBed.GOOD);
      bed.assertAvailabilityNeverDropped(web);
    } finally {
      bed.client.resource(quota).delete();
      bed.faults().clear();
    }
  }

  @Test
  void aCrashLoopingInitContainerIsRolledBackOnThePodFaultNotTheDeadline() {
    String web = bed.deploymentReady(d -> d.getSpec().getTemplate().getSpec().setInitContainers(List.of(
        new ContainerBuilder().withName("migrate").withImage("registry.example.com/web-migrate:1.0").build())));
    Hotfix h = bed.hotfix(web, "unused", s -> {
      s.rollout.progressDeadlineSeconds = LONG_DEADLINE;
      s.rollout.podReadyTimeoutSeconds = LONG_DEADLINE;
    });
    h.getSpec().containers = List.of(new ContainerImage("migrate", "registry.example.com/web-migrate:1.1-initcrash"));

    Hotfix done = bed.runToEnd(h);

    assertThat(done.getStatus().phase).isEqualTo(Phase.RolledBack);
    assertThat(done.getStatus().rollbackReason).startsWith("pod_fault: pod " + web + "-")
        .contains("container migrate", "CrashLoopBackOff");
    assertThat(bed.images(web)).containsEntry("migrate", "registry.example.com/web-migrate:1.0");
    bed.assertAvailabilityNeverDropped(web);
  }

  @ParameterizedTest
  @CsvSource({
      "oom, OOMKilled",
      "unschedulable, cannot be scheduled: 0/3 nodes are available",
  })
  void anOomKilledOrUnschedulablePodIsRolledBackOnThePodFaultNotTheDeadline(String tag, String reason) {
    String web = bed.deploymentReady(d -> { });

    Hotfix done = bed.runToEnd(bed.hotfix(web, "registry.example.com/web:1.1-" + tag, s -> {
      s.rollout.progressDeadlineSeconds = LONG_DEADLINE;
      s.rollout.podReadyTimeoutSeconds = LONG_DEADLINE;
    }));

    assertThat(done.getStatus().phase).isEqualTo(Phase.RolledBack);
    assertThat(done.getStatus().rollbackReason).startsWith("pod_fault: pod " + web + "-").contains(reason);
    assertThat(bed.images(web)).containsEntry("app", ScenarioBed.GOOD);
    bed.assertAvailabilityNeverDropped(web);
  }

  /** One failed pull that the kubelet's retry clears is a registry hiccup, not a bad image. */
  @Test
  void aPullErrorThatClearsOnTheKubeletsRetryIsNotRolledBack() {
    String web = bed.deploymentReady(d -> { });
    String name = bed.create(bed.hotfix(web, "registry.example.com/web:1.1-pullonce", s -> { }));
    await().atMost(Duration.ofSeconds(20)).until(() -> bed.client.pods().inNamespace(ScenarioBed.NS).list().getItems()
        .stream().flatMap(p -> p.getStatus() == null ? java.util.stream.Stream.empty()
            : p.getStatus().getContainerStatuses().stream())
        .anyMatch(c -> c.getState() != null && c.getState().getWaiting() != null
            && c.getImage().endsWith("pullonce")
            && List.of("ErrImagePull", "ImagePullBackOff").contains(c.getState().getWaiting().getReason())));

    Hotfix done = bed.awaitTerminal(name);

    assertThat(done.getStatus().phase).isEqualTo(Phase.Succeeded);
    assertThat(bed.images(web)).containsEntry("app", "registry.example.com/web:1.1-pullonce");
    bed.assertAvailabilityNeverDropped(web);
  }

  /** The patch the Hotfix would write is one the API server refuses: Rejected before anything changed. */
  @Test
  void aTargetThePatchWouldMakeInvalidIsRejectedWithTheReasonAndLeftUnchanged() {
    String web = bed.deploymentCreated(d -> {
      d.getSpec().setMinReadySeconds(400);
      d.getSpec().setProgressDeadlineSeconds(LONG_DEADLINE);
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> bed.deployment(web).getStatus() != null
        && bed.deployment(web).getStatus().getObservedGeneration() != null);
    long generation = bed.deployment(web).getMetadata().getGeneration();

    Hotfix done = bed.runToEnd(bed.hotfix(web, "registry.example.com/web:1.1-hotfix.1", s -> { }));

    assertThat(done.getStatus().phase).isEqualTo(Phase.Rejected);
    assertThat(done.getStatus().message).contains("minReadySeconds 400", "progressDeadlineSeconds 30",
        "set spec.rollout.progressDeadlineSeconds above 400");
    assertThat(bed.deployment(web).getMetadata().getGeneration()).as("the Deployment's spec is untouched")
        .isEqualTo(generation);
    assertThat(bed.deployment(web).getMetadata().getAnnotations()).doesNotContainKeys(HotfixAnnotations.ACTIVE,
        HotfixAnnotations.ATTEMPT);
    assertThat(bed.images(web)).containsEntry("app", ScenarioBed.GOOD);
    assertThat(bed.phases(done)).containsExactly(Phase.Rejected);
  }
}
