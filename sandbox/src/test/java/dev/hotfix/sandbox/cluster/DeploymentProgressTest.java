package dev.hotfix.sandbox.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Progressing condition: the deadline with a bad image, and pause/resume. */
class DeploymentProgressTest {

  private static final Duration ROLLOUT = Duration.ofSeconds(20);
  @RegisterExtension static final SandboxFixture sandbox = new SandboxFixture();

  @Test
  void badImageExceedsTheProgressDeadline() {
    sandbox.create(
        SandboxFixture.deployment("stuck", "app:1", 2)
            .editSpec().withProgressDeadlineSeconds(2).endSpec()
            .build());
    await().atMost(ROLLOUT).until(() -> sandbox.rolledOut("stuck"));

    Instant changed = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    sandbox.setImage("stuck", "app:2-pullerr");
    String newReplicaSet = "stuck-" + await().atMost(ROLLOUT)
        .until(() -> sandbox.replicaSets("stuck").stream()
                .filter(rs -> "2".equals(rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision")))
                .map(rs -> rs.getMetadata().getLabels().get("pod-template-hash"))
                .findFirst(),
            Optional::isPresent)
        .orElseThrow();

    await().atMost(ROLLOUT).untilAsserted(() -> assertThat(progressing("stuck"))
        .satisfies(c -> {
          assertThat(c.getStatus()).isEqualTo("False");
          assertThat(c.getReason()).isEqualTo("ProgressDeadlineExceeded");
          assertThat(c.getMessage()).isEqualTo("ReplicaSet \"" + newReplicaSet + "\" has timed out progressing.");
        }));
    DeploymentCondition timedOut = progressing("stuck");
    // not before the deadline (how soon after it is the benchmark's to measure)
    Instant noticed = Instant.parse(timedOut.getLastTransitionTime());
    assertThat(noticed).isAfterOrEqualTo(changed.plusSeconds(2));
    // the old pods keep serving: maxUnavailable is 25% of 2, rounded down to 0
    assertThat(sandbox.get("stuck").getStatus().getAvailableReplicas()).isEqualTo(2);
  }

  @Test
  void pauseStopsTheRolloutAndResumeFinishesIt() {
    sandbox.create(SandboxFixture.deployment("paused", "app:1", 2).build());
    await().atMost(ROLLOUT).until(() -> sandbox.rolledOut("paused"));

    sandbox.patch("paused", Map.of("op", "add", "path", "/spec/paused", "value", true));
    await().atMost(ROLLOUT).untilAsserted(() -> assertThat(progressing("paused"))
        .satisfies(c -> {
          assertThat(c.getStatus()).isEqualTo("Unknown");
          assertThat(c.getReason()).isEqualTo("DeploymentPaused");
          assertThat(c.getMessage()).isEqualTo("Deployment is paused");
        }));
    sandbox.setImage("paused", "app:2");

    // while paused the new template gets no ReplicaSet and no pod
    await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
        .until(() -> sandbox.replicaSets("paused").size() == 1
            && sandbox.get("paused").getStatus().getObservedGeneration()
                == sandbox.get("paused").getMetadata().getGeneration());
    assertThat(sandbox.pods("paused"))
        .allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo("app:1"));

    sandbox.patch("paused", Map.of("op", "replace", "path", "/spec/paused", "value", false));
    await().atMost(ROLLOUT).until(() -> sandbox.rolledOut("paused") && sandbox.replicaSets("paused").size() == 2);
    assertThat(progressing("paused").getReason()).isEqualTo("NewReplicaSetAvailable");
    assertThat(sandbox.get("paused").getMetadata().getAnnotations())
        .containsEntry("deployment.kubernetes.io/revision", "2");
  }

  @Test
  void podsCountAsAvailableOnlyAfterMinReadySeconds() {
    sandbox.create(
        SandboxFixture.deployment("careful", "app:1", 1).editSpec().withMinReadySeconds(2).endSpec().build());

    await().atMost(ROLLOUT).until(() -> sandbox.rolledOut("careful"));

    // by the cluster's own timestamps (whole seconds): available no sooner than minReadySeconds after ready
    Instant podReady = Instant.parse(sandbox.pods("careful").get(0).getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType())).findFirst().orElseThrow().getLastTransitionTime());
    Instant available = Instant.parse(sandbox.get("careful").getStatus().getConditions().stream()
        .filter(c -> "Available".equals(c.getType())).findFirst().orElseThrow().getLastTransitionTime());
    assertThat(available).isAfterOrEqualTo(podReady.plusSeconds(2));
  }

  private static DeploymentCondition progressing(String name) {
    return sandbox.get(name).getStatus().getConditions().stream()
        .filter(c -> "Progressing".equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }
}
