package dev.hotfix.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotfix.api.v1alpha1.RollbackCause;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The same judgement as {@code kubectl rollout status}, case by case. */
class RolloutProgressTest {
  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  private final RolloutProgress progress = new RolloutProgress();

  @Test
  void completeWhenObservedUpdatedAndAvailable() {
    assertThat(judge(deployment(2, 2, 3, 3, 3, 3, null), T0.plusSeconds(5)).result()).isEqualTo(Measurement.Result.PASS);
  }

  @Test
  void waitsForTheControllerToObserveTheSpec() {
    assertThat(judge(deployment(3, 2, 3, 3, 3, 3, null), T0.plusSeconds(5)).message())
        .contains("observe generation 3");
  }

  @Test
  void waitsForUpdatedThenOldThenAvailableReplicas() {
    assertThat(judge(deployment(2, 2, 3, 1, 4, 3, null), T0).message()).contains("1 of 3 new replicas updated");
    assertThat(judge(deployment(2, 2, 3, 3, 4, 3, null), T0).message()).contains("1 old replicas pending termination");
    assertThat(judge(deployment(2, 2, 3, 3, 3, 2, null), T0).message()).contains("2 of 3 updated replicas available");
  }

  @Test
  void progressDeadlineExceededFails() {
    Measurement m = judge(deployment(2, 2, 3, 1, 4, 3, "ProgressDeadlineExceeded"), T0.plusSeconds(1));

    assertThat(m.result()).isEqualTo(Measurement.Result.FAIL);
    assertThat(progress.cause()).isEqualTo(RollbackCause.Deadline);
  }

  @Test
  void ourOwnDeadlineFailsAStuckRolloutAndIsTheRecheckTimeBefore() {
    Deployment stuck = deployment(2, 2, 3, 1, 4, 3, null);

    assertThat(judge(stuck, T0.plusSeconds(59)).result()).isEqualTo(Measurement.Result.NO_DATA);
    assertThat(progress.recheckAt(revision(stuck, T0.plusSeconds(59)))).contains(T0.plusSeconds(60));
    assertThat(judge(stuck, T0.plusSeconds(60)).result()).isEqualTo(Measurement.Result.FAIL);
  }

  private Measurement judge(Deployment d, Instant now) {
    return progress.measure(revision(d, now));
  }

  private static RevisionUnderTest revision(Deployment d, Instant now) {
    return RevisionUnderTest.rolloutOf(d, T0, Duration.ofSeconds(60), now);
  }

  private static Deployment deployment(long generation, long observed, int desired, int updated, int replicas,
      int available, String progressingReason) {
    DeploymentBuilder b = new DeploymentBuilder().withNewMetadata().withName("web").withGeneration(generation)
        .endMetadata().withNewSpec().withReplicas(desired).endSpec()
        .withNewStatus().withObservedGeneration(observed).withUpdatedReplicas(updated).withReplicas(replicas)
        .withAvailableReplicas(available).endStatus();
    if (progressingReason != null) {
      b.editStatus().addNewCondition().withType("Progressing").withStatus("False").withReason(progressingReason)
          .withMessage("ReplicaSet \"web-abc\" has timed out progressing.").endCondition().endStatus();
    }
    return b.build();
  }
}
