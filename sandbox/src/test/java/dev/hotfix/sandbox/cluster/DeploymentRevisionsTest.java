package dev.hotfix.sandbox.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What {@code kubectl rollout status/history/undo} read: the status at completion, revisions
 * across rollouts, a rollback re-using its ReplicaSet, and history pruning.
 */
class DeploymentRevisionsTest {

  private static final Duration ROLLOUT = Duration.ofSeconds(20);
  @RegisterExtension static final SandboxFixture sandbox = new SandboxFixture();

  @Test
  void completedRolloutReportsStatusLikeUpstream() {
    Deployment created = sandbox.create(SandboxFixture.deployment("web", "shop:1.0", 3).build());

    await().atMost(ROLLOUT).until(() -> sandbox.rolledOut("web"));

    Deployment d = sandbox.get("web");
    assertThat(d.getStatus().getObservedGeneration()).isEqualTo(d.getMetadata().getGeneration());
    assertThat(d.getStatus().getReplicas()).isEqualTo(3);
    assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(3);
    assertThat(d.getStatus().getReadyReplicas()).isEqualTo(3);
    assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(3);
    assertThat(d.getStatus().getUnavailableReplicas()).isZero();
    List<ReplicaSet> sets = sandbox.replicaSets("web");
    assertThat(sets).hasSize(1);
    ReplicaSet rs = sets.get(0);
    String hash = rs.getMetadata().getLabels().get("pod-template-hash");
    assertThat(hash).matches("[bcdfghjklmnpqrstvwxz2456789]+");
    assertThat(rs.getMetadata().getName()).isEqualTo("web-" + hash);
    assertThat(rs.getSpec().getSelector().getMatchLabels()).containsEntry("pod-template-hash", hash);
    assertThat(rs.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(ref -> {
          assertThat(ref.getUid()).isEqualTo(created.getMetadata().getUid());
          assertThat(ref.getController()).isTrue();
        });
    assertThat(rs.getMetadata().getAnnotations())
        .containsEntry("deployment.kubernetes.io/revision", "1")
        .containsEntry("deployment.kubernetes.io/desired-replicas", "3")
        .containsEntry("deployment.kubernetes.io/max-replicas", "4");
    assertThat(d.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "1");
    assertThat(condition(d, "Available"))
        .satisfies(c -> {
          assertThat(c.getStatus()).isEqualTo("True");
          assertThat(c.getReason()).isEqualTo("MinimumReplicasAvailable");
        });
    assertThat(condition(d, "Progressing"))
        .satisfies(c -> {
          assertThat(c.getStatus()).isEqualTo("True");
          assertThat(c.getReason()).isEqualTo("NewReplicaSetAvailable");
          assertThat(c.getMessage()).isEqualTo("ReplicaSet \"" + rs.getMetadata().getName() + "\" has successfully progressed.");
          assertThat(c.getLastUpdateTime()).isNotNull();
          assertThat(c.getLastTransitionTime()).isNotNull();
        });
    assertThat(sandbox.pods("web"))
        .hasSize(3)
        .allSatisfy(p -> {
          assertThat(p.getMetadata().getName()).matches("web-" + hash + "-[bcdfghjklmnpqrstvwxz2456789]{5}");
          assertThat(p.getMetadata().getLabels()).containsEntry("pod-template-hash", hash);
          assertThat(p.getMetadata().getOwnerReferences().get(0).getName()).isEqualTo(rs.getMetadata().getName());
        });
  }

  @Test
  void revisionsCountUpAndRollbackReusesItsReplicaSet() {
    sandbox.create(
        SandboxFixture.deployment("api", "api:1", 2)
            .editMetadata()
            .addToAnnotations("kubernetes.io/change-cause", "first release")
            .addToAnnotations("kubectl.kubernetes.io/last-applied-configuration", "{}")
            .endMetadata()
            .build());
    await().atMost(ROLLOUT).until(() -> sandbox.rolledOut("api"));
    ReplicaSet first = sandbox.replicaSets("api").get(0);
    assertThat(first.getMetadata().getAnnotations())
        .containsEntry("kubernetes.io/change-cause", "first release")
        .doesNotContainKey("kubectl.kubernetes.io/last-applied-configuration");

    sandbox.setImage("api", "api:2");
    await().atMost(ROLLOUT).until(() -> revisionOf("api").equals("2") && sandbox.rolledOut("api"));
    sandbox.setImage("api", "api:3");
    await().atMost(ROLLOUT).until(() -> revisionOf("api").equals("3") && sandbox.rolledOut("api"));

    assertThat(sandbox.replicaSets("api"))
        .extracting(rs -> rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"))
        .containsExactly("1", "2", "3");

    // kubectl rollout undo --to-revision=1: the revision's template, without its hash label
    PodTemplateSpec template = first.getSpec().getTemplate();
    Map<String, String> labels = new HashMap<>(template.getMetadata().getLabels());
    labels.remove("pod-template-hash");
    template.getMetadata().setLabels(labels);
    sandbox.patch("api", Map.of("op", "replace", "path", "/spec/template", "value", template));

    await().atMost(ROLLOUT).until(() -> revisionOf("api").equals("4") && sandbox.rolledOut("api"));
    List<ReplicaSet> sets = sandbox.replicaSets("api");
    assertThat(sets).hasSize(3);
    ReplicaSet reused = sets.get(2);
    assertThat(reused.getMetadata().getName()).isEqualTo(first.getMetadata().getName());
    assertThat(reused.getMetadata().getAnnotations())
        .containsEntry("deployment.kubernetes.io/revision", "4")
        .containsEntry("deployment.kubernetes.io/revision-history", "1");
    assertThat(reused.getSpec().getReplicas()).isEqualTo(2);
    assertThat(sets.get(0).getSpec().getReplicas()).isZero();
    assertThat(sets.get(1).getSpec().getReplicas()).isZero();
    // kubectl describe deployment: the scaling steps of the rollback
    await().atMost(ROLLOUT).untilAsserted(() -> assertThat(
            sandbox.client.v1().events().inNamespace(SandboxFixture.NS).list().getItems())
        .filteredOn(e -> "api".equals(e.getInvolvedObject().getName()) && "ScalingReplicaSet".equals(e.getReason()))
        .extracting(e -> e.getMessage())
        .contains(
            "Scaled up replica set " + reused.getMetadata().getName() + " from 0 to 1",
            "Scaled down replica set " + sets.get(1).getMetadata().getName() + " from 2 to 1"));
  }

  @Test
  void oldReplicaSetsArePrunedToTheHistoryLimit() {
    sandbox.create(
        SandboxFixture.deployment("cron", "cron:1", 1)
            .editSpec()
            .withRevisionHistoryLimit(2)
            .endSpec()
            .build());
    await().atMost(ROLLOUT).until(() -> sandbox.rolledOut("cron"));
    for (int version = 2; version <= 5; version++) {
      String expected = Integer.toString(version);
      sandbox.setImage("cron", "cron:" + version);
      await().atMost(ROLLOUT).until(() -> revisionOf("cron").equals(expected) && sandbox.rolledOut("cron"));
    }

    await().atMost(ROLLOUT)
        .untilAsserted(() -> assertThat(sandbox.replicaSets("cron"))
            .extracting(ReplicaSets::revision)
            .containsExactly(3L, 4L, 5L));
  }

  @Test
  void scalingASteadyDeploymentScalesItsReplicaSet() {
    sandbox.create(SandboxFixture.deployment("queue", "queue:1", 2).build());
    await().atMost(ROLLOUT).until(() -> sandbox.rolledOut("queue"));

    sandbox.patch("queue", Map.of("op", "replace", "path", "/spec/replicas", "value", 5));

    await().atMost(ROLLOUT).until(() -> sandbox.rolledOut("queue"));
    assertThat(sandbox.replicaSets("queue")).singleElement()
        .satisfies(rs -> assertThat(rs.getSpec().getReplicas()).isEqualTo(5));
    assertThat(sandbox.pods("queue")).hasSize(5);
    assertThat(revisionOf("queue")).isEqualTo("1");
  }

  @Test
  void scalingAStuckRolloutScalesOldAndNewProportionally() {
    sandbox.create(SandboxFixture.deployment("hpa", "hpa:1", 4).build());
    await().atMost(ROLLOUT).until(() -> sandbox.rolledOut("hpa"));
    sandbox.setImage("hpa", "hpa:2-pullerr");
    // 25%/25% of 4: the rollout stops at 3 old + 2 new pods that never become available
    await().atMost(ROLLOUT).untilAsserted(() -> assertThat(sandbox.replicaSets("hpa"))
        .extracting(rs -> rs.getSpec().getReplicas())
        .containsExactly(3, 2));

    sandbox.patch("hpa", Map.of("op", "replace", "path", "/spec/replicas", "value", 8));

    // 8 + 25% surge = 10 pods, shared 3:2 as before (upstream's proportional scaling)
    await().atMost(ROLLOUT).untilAsserted(() -> assertThat(sandbox.replicaSets("hpa"))
        .allSatisfy(rs -> assertThat(rs.getMetadata().getAnnotations())
            .containsEntry("deployment.kubernetes.io/desired-replicas", "8")
            .containsEntry("deployment.kubernetes.io/max-replicas", "10"))
        .extracting(rs -> rs.getSpec().getReplicas())
        .containsExactly(6, 4));
  }

  private static String revisionOf(String name) {
    Map<String, String> annotations = sandbox.get(name).getMetadata().getAnnotations();
    return annotations == null ? "" : annotations.getOrDefault("deployment.kubernetes.io/revision", "");
  }

  private static DeploymentCondition condition(Deployment d, String type) {
    return d.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }

}
