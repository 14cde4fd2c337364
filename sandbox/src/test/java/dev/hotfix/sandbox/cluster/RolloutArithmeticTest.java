package dev.hotfix.sandbox.cluster;

import dev.hotfix.rollout.PodTemplates;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The numbers behind a rollout, checked against upstream's own examples and rules. */
class RolloutArithmeticTest {

  @ParameterizedTest(name = "{0} replicas, surge {1}, unavailable {2} -> {3}/{4}")
  @CsvSource({
    "4, 25%, 25%, 1, 1",
    "10, 25%, 25%, 3, 2",
    "3, 0, 0, 0, 1",
    "3, 0%, 0%, 0, 1",
    "1, 25%, 25%, 1, 0",
    "5, 2, 9, 2, 5",
  })
  void fencepostsRoundSurgeUpAndUnavailableDown(
      int replicas, String surge, String unavailable, int expectedSurge, int expectedUnavailable) {
    Deployment d = SandboxFixture.rolling(SandboxFixture.deployment("d", "app:1", replicas), value(surge), value(unavailable)).build();

    assertThat(DeploymentSpecs.maxSurge(d)).isEqualTo(expectedSurge);
    assertThat(DeploymentSpecs.maxUnavailable(d)).isEqualTo(expectedUnavailable);
  }

  @Test
  void missingDefaultsAreUpstreamsDefaults() {
    Deployment d = new DeploymentBuilder().withNewMetadata().withName("bare").endMetadata().withNewSpec().endSpec().build();

    assertThat(DeploymentSpecs.replicas(d)).isEqualTo(1);
    assertThat(DeploymentSpecs.isRollingUpdate(d)).isTrue();
    assertThat(DeploymentSpecs.maxSurge(d)).isEqualTo(1); // 25% of 1, rounded up
    assertThat(DeploymentSpecs.maxUnavailable(d)).isZero();
    assertThat(DeploymentSpecs.revisionHistoryLimit(d)).isEqualTo(10);
    assertThat(DeploymentSpecs.progressDeadlineSeconds(d)).isEqualTo(600);
  }

  @Test
  void templateHashIgnoresItsOwnLabelAndChangesWithTheTemplateOrCollisionCount() {
    var template = SandboxFixture.deployment("d", "app:1", 1).build().getSpec().getTemplate();
    var labelled = SandboxFixture.deployment("d", "app:1", 1).build().getSpec().getTemplate();
    labelled.getMetadata().getLabels().put(PodTemplateHash.LABEL, "whatever");
    var otherImage = SandboxFixture.deployment("d", "app:2", 1).build().getSpec().getTemplate();

    String hash = PodTemplateHash.of(template, null);
    assertThat(hash).matches("[bcdfghjklmnpqrstvwxz2456789]{1,10}");
    assertThat(PodTemplateHash.of(labelled, null)).isEqualTo(hash);
    assertThat(PodTemplates.equalIgnoringHash(template, labelled)).isTrue();
    assertThat(PodTemplateHash.of(otherImage, null)).isNotEqualTo(hash);
    assertThat(PodTemplates.equalIgnoringHash(template, otherImage)).isFalse();
    assertThat(PodTemplateHash.of(template, 1)).isNotEqualTo(hash);
  }

  @Test
  void scalingMidRolloutSpreadsReplicasProportionally() {
    // upstream's example: 10 replicas, surge 3, mid-rollout 8 old + 5 new, scaled to 15
    Deployment d = SandboxFixture.rolling(SandboxFixture.deployment("d", "app:2", 15), 3, 2).build();
    ReplicaSet old = replicaSet("old", 8, "2026-01-01T00:00:00Z");
    ReplicaSet current = replicaSet("new", 5, "2026-01-02T00:00:00Z");

    var sizes = ProportionalScaling.newSizes(d, List.of(old, current));

    assertThat(sizes).containsEntry("old", 11).containsEntry("new", 7);
  }

  @Test
  void backOffDoublesUpToItsCap() {
    ClusterTiming timing = ClusterTiming.defaults();

    assertThat(List.of(1, 2, 3, 4, 5, 6, 9).stream().map(n -> timing.backOffAfter(n).toSeconds()))
        .containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L);
  }

  private static ReplicaSet replicaSet(String name, int replicas, String created) {
    return new ReplicaSetBuilder()
        .withNewMetadata()
        .withName(name)
        .withCreationTimestamp(created)
        .addToAnnotations(RevisionAnnotations.DESIRED_REPLICAS, "10")
        .addToAnnotations(RevisionAnnotations.MAX_REPLICAS, "13")
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .endSpec()
        .build();
  }

  private static Object value(String s) {
    return s.endsWith("%") ? s : Integer.valueOf(s);
  }
}
