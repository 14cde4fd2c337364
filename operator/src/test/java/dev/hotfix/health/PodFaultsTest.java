package dev.hotfix.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotfix.api.v1alpha1.RollbackCause;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PodFaultsTest {
  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  private final PodFaults faults = new PodFaults();

  @Test
  void crashLoopIsAFaultAtOnce() {
    Measurement m = judge(pod("web-1", false, "CrashLoopBackOff", 2), T0.plusSeconds(3), 0);

    assertThat(m.result()).isEqualTo(Measurement.Result.FAIL);
    assertThat(faults.cause()).isEqualTo(RollbackCause.PodFault);
    assertThat(m.message()).contains("pod web-1", "container app", "CrashLoopBackOff", "restarts 2");
  }

  /** A pull error the kubelet's first retry may still clear is waited for; one that outlasts the grace is a fault. */
  @Test
  void imagePullErrorsAreFaultsOnceTheyOutlastTheKubeletsFirstRetry() {
    Pod backingOff = pod("web-1", false, "ImagePullBackOff", 0);
    Measurement early = judge(backingOff, T0.plusSeconds(11), 0);
    assertThat(early.result()).isEqualTo(Measurement.Result.NO_DATA);
    assertThat(faults.recheckAt(revision(backingOff, T0.plusSeconds(11), 0)))
        .contains(T0.plus(PodFaults.IMAGE_PULL_GRACE));

    Measurement late = judge(pod("web-1", false, "ErrImagePull", 0), T0.plus(PodFaults.IMAGE_PULL_GRACE), 0);
    assertThat(late.result()).isEqualTo(Measurement.Result.FAIL);
    assertThat(late.message()).contains("ErrImagePull", "for over 20s");
  }

  /** The kubelet restarts a first crash at once: one restart that then runs passes by default. */
  @Test
  void oneCrashThenRunningIsToleratedByDefaultButASecondCrashIsNot() {
    assertThat(judge(pod("web-1", true, null, 1), T0.plusSeconds(5), 1).result()).isEqualTo(Measurement.Result.PASS);
    Measurement again = judge(pod("web-1", false, "CrashLoopBackOff", 1), T0.plusSeconds(5), 1);
    assertThat(again.result()).isEqualTo(Measurement.Result.FAIL);
    assertThat(again.message()).contains("CrashLoopBackOff", "restarts 1");
  }

  @Test
  void aCrashLoopingInitContainerIsAFault() {
    Pod pod = pod("web-1", false, null, 0);
    pod.getStatus().setInitContainerStatuses(List.of(new ContainerStatusBuilder().withName("migrate")
        .withRestartCount(2).withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
        .build()));

    Measurement m = judge(pod, T0.plusSeconds(3), 1);
    assertThat(m.result()).isEqualTo(Measurement.Result.FAIL);
    assertThat(m.message()).contains("pod web-1", "container migrate", "CrashLoopBackOff");
  }

  @Test
  void anOomKilledContainerIsAFaultEvenWhileRunningAgain() {
    Pod pod = pod("web-1", true, null, 1);
    pod.getStatus().getContainerStatuses().get(0).setLastState(new ContainerStateBuilder().withNewTerminated()
        .withReason("OOMKilled").withExitCode(137).endTerminated().build());

    Measurement m = judge(pod, T0.plusSeconds(3), 1);
    assertThat(m.result()).isEqualTo(Measurement.Result.FAIL);
    assertThat(m.message()).contains("OOMKilled");
  }

  @Test
  void anUnschedulablePodIsAFault() {
    Pod pod = pod("web-1", false, null, 0);
    pod.getStatus().getConditions().add(new PodConditionBuilder().withType("PodScheduled").withStatus("False")
        .withReason("Unschedulable").withMessage("0/1 nodes are available: 1 Insufficient cpu.").build());

    Measurement m = judge(pod, T0.plusSeconds(1), 1);
    assertThat(m.result()).isEqualTo(Measurement.Result.FAIL);
    assertThat(m.message()).contains("cannot be scheduled", "Insufficient cpu");
  }

  /** Zero pods are not health: a ReplicaSet that wants pods and has none is waited for, or failed when refused. */
  @Test
  void zeroPodsNeverPassAndAReplicaFailureIsAFault() {
    ReplicaSet wanting = new ReplicaSetBuilder().withNewMetadata().withName("web-abc").endMetadata()
        .withNewSpec().withReplicas(1).endSpec().build();
    Measurement waiting = faults.measure(revision(Optional.of(wanting), List.of(), T0.plusSeconds(1), 1));
    assertThat(waiting.result()).isEqualTo(Measurement.Result.NO_DATA);
    assertThat(waiting.message()).contains("0 of 1 new pods");

    wanting.setStatus(new ReplicaSetStatusBuilder().addNewCondition().withType("ReplicaFailure").withStatus("True")
        .withReason("FailedCreate").withMessage("pods \"web-abc-x\" is forbidden: exceeded quota: pods")
        .withLastTransitionTime(T0.toString()).endCondition().build());
    Measurement refused = faults.measure(revision(Optional.of(wanting), List.of(), T0.plus(PodFaults.REPLICA_FAILURE_GRACE),
        1));
    assertThat(refused.result()).isEqualTo(Measurement.Result.FAIL);
    assertThat(refused.message()).contains("ReplicaSet web-abc cannot create pods (FailedCreate)", "exceeded quota");
  }

  /**
   * A refusal the controller's next retry may clear (an API timeout, a retried create that had
   * landed) is not yet a fault: it counts once it outlasts the grace, and a recheck is due then.
   * Seen failing with the grace removed (a create that met "already exists" rolled a good fix back).
   */
  @Test
  void aReplicaFailureCountsOnlyOnceItOutlastsTheControllersRetries() {
    ReplicaSet refusing = new ReplicaSetBuilder().withNewMetadata().withName("web-abc").endMetadata()
        .withNewSpec().withReplicas(1).endSpec().withStatus(new ReplicaSetStatusBuilder().addNewCondition()
            .withType("ReplicaFailure").withStatus("True").withReason("FailedCreate")
            .withMessage("pods \"web-abc-x\" already exists").withLastTransitionTime(T0.toString()).endCondition()
            .build()).build();
    RevisionUnderTest blip = revision(Optional.of(refusing), List.of(), T0.plusSeconds(1), 1);

    Measurement early = faults.measure(blip);

    assertThat(early.result()).isEqualTo(Measurement.Result.NO_DATA);
    assertThat(early.message()).contains("cannot create pods (FailedCreate)", "a fault if it lasts until");
    assertThat(faults.recheckAt(blip)).contains(T0.plus(PodFaults.REPLICA_FAILURE_GRACE));
  }

  @Test
  void restartsOverTheLimitAreAFaultEvenWhileRunning() {
    assertThat(judge(pod("web-1", true, null, 1), T0.plusSeconds(5), 0).message())
        .contains("restarted 1 times (maxRestarts 0)");
    assertThat(judge(pod("web-1", true, null, 1), T0.plusSeconds(5), 1).result()).isEqualTo(Measurement.Result.PASS);
  }

  @Test
  void aPodNotReadyWithinTheTimeoutIsAFaultAndUntilThenARecheckIsDue() {
    Pod starting = pod("web-1", false, null, 0);

    Measurement early = judge(starting, T0.plusSeconds(10), 0);
    assertThat(early.result()).isEqualTo(Measurement.Result.NO_DATA);
    assertThat(faults.recheckAt(revision(starting, T0.plusSeconds(10), 0))).contains(T0.plusSeconds(30));

    Measurement late = judge(starting, T0.plusSeconds(30), 0);
    assertThat(late.result()).isEqualTo(Measurement.Result.FAIL);
    assertThat(late.message()).contains("not ready after 30s");
  }

  @Test
  void readyPodsAreHealthy() {
    assertThat(judge(pod("web-1", true, null, 0), T0.plusSeconds(2), 0).result()).isEqualTo(Measurement.Result.PASS);
  }

  private Measurement judge(Pod pod, Instant now, int maxRestarts) {
    return faults.measure(revision(pod, now, maxRestarts));
  }

  private static RevisionUnderTest revision(Pod pod, Instant now, int maxRestarts) {
    return revision(Optional.empty(), List.of(pod), now, maxRestarts);
  }

  private static RevisionUnderTest revision(Optional<ReplicaSet> rs, List<Pod> pods, Instant now, int maxRestarts) {
    return new RevisionUnderTest(new DeploymentBuilder().withNewMetadata().withName("web").endMetadata().build(),
        rs, pods, T0, Duration.ofMinutes(5), Duration.ofSeconds(30), maxRestarts, now);
  }

  private static Pod pod(String name, boolean ready, String waitingReason, int restarts) {
    return new PodBuilder().withNewMetadata().withName(name).withCreationTimestamp(T0.toString()).endMetadata()
        .withNewStatus()
        .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
        .addNewContainerStatus().withName("app").withReady(ready).withRestartCount(restarts)
        .withNewState()
        .withWaiting(waitingReason == null ? null
            : new io.fabric8.kubernetes.api.model.ContainerStateWaiting("back-off restarting", waitingReason))
        .endState()
        .endContainerStatus()
        .endStatus().build();
  }
}
