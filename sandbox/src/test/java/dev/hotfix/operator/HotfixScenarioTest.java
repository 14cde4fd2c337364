package dev.hotfix.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotfix.api.v1alpha1.ContainerImage;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.rollout.DeploymentRevisions;
import dev.hotfix.rollout.HotfixAnnotations;
import dev.hotfix.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The core loop end to end on the sandbox: the operator in-process with real informers, the
 * simulated Deployment controller and kubelet. Every scenario checks the final phase, the
 * Deployment's final images, the operator's writes counted exactly at the API server, and the
 * timeline; the bed checks that no pod event showed fewer ready pods than desired while the
 * operator held the Deployment (4 replicas whose owner allows 2 down: only the Hotfix's own
 * strategy keeps them serving).
 *
 * <p>Mutation check (run once, 2026-12-04): {@code mvn -o test -Dtest=HotfixScenarioTest
 * -Dhotfix.mutant=skip-hotfix-strategy}, an operator whose apply patch leaves the owner's strategy
 * in place, fails 6 of these 12 tests: every one that rolls out (2 of 4 pods ready at worst); the 5
 * rejections change nothing, and the person's edit ends the Superseded one's hold at once.
 */
class HotfixScenarioTest {
  private static ScenarioBed bed;

  @BeforeAll
  static void start() {
    bed = new ScenarioBed(SandboxOptions.defaults().withPrometheus(false).withPodStartDelay(Duration.ofMillis(300)),
        OperatorOptions.defaults());
  }

  @AfterAll
  static void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void aGoodImageSucceedsAndTheDeploymentGoesBackToItsOwner() {
    String web = bed.deploymentReady(d -> { });
    String previousHash = bed.currentHash(web);

    Hotfix done = bed.runToEnd(bed.hotfix(web, "registry.example.com/web:1.1-hotfix.1", s -> { }));

    assertThat(done.getStatus().phase).isEqualTo(Phase.Succeeded);
    assertThat(bed.images(web)).containsEntry("app", "registry.example.com/web:1.1-hotfix.1");
    assertThat(done.getStatus().previous.podTemplateHash).isEqualTo(previousHash);
    assertThat(done.getStatus().applied.podTemplateHash).isNotEqualTo(previousHash).isEqualTo(bed.currentHash(web));
    assertThat(bed.phases(done)).containsSubsequence(Phase.RollingOut, Phase.Verifying, Phase.Succeeded);
    Deployment after = bed.deployment(web);
    assertThat(after.getMetadata().getAnnotations()).doesNotContainKeys(HotfixAnnotations.ACTIVE,
        HotfixAnnotations.PREVIOUS_REVISION);
    assertThat(after.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable()).isEqualTo(ScenarioBed.OWNER_MAX_UNAVAILABLE);
    bed.assertAvailabilityNeverDropped(web);
    bed.assertWrites(web, 1, 0, 1);
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
    String web = bed.deploymentReady(d -> { });
    String previousHash = bed.currentHash(web);
    long previousRevision = DeploymentRevisions.revisionOf(bed.deployment(web));

    Hotfix done = bed.runToEnd(bed.hotfix(web, "registry.example.com/web:1.1-" + tag,
        s -> s.rollout.podReadyTimeoutSeconds = 3));

    assertThat(done.getStatus().phase).isEqualTo(Phase.RolledBack);
    assertThat(done.getStatus().rollbackReason).startsWith("pod_fault: pod " + web + "-")
        .containsPattern(reasonPattern);
    assertThat(bed.images(web)).containsEntry("app", ScenarioBed.GOOD);
    assertThat(bed.currentHash(web)).as("back on the exact previous template").isEqualTo(previousHash);
    assertThat(DeploymentRevisions.revisionOf(bed.deployment(web))).isGreaterThan(previousRevision);
    assertThat(bed.phases(done)).containsSubsequence(Phase.RollingOut, Phase.RollingBack, Phase.RolledBack);
    bed.assertAvailabilityNeverDropped(web);
    bed.assertWrites(web, 1, 1, 1);
  }

  @Test
  void abortMidRolloutRollsBackOnRequest() {
    String web = bed.deploymentReady(d -> { });
    String name = bed.create(bed.hotfix(web, "registry.example.com/web:1.1-unready", s -> { }));
    bed.awaitPhase(name, Phase.RollingOut);
    await().atMost(Duration.ofSeconds(20)).until(() -> bed.images(web).get("app").endsWith("unready"));

    // as `kubectl patch --type=merge` sends it: no resourceVersion, so the operator's own status
    // writes in between cannot make it a 409
    bed.client.resources(Hotfix.class).inNamespace(ScenarioBed.NS).withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"abort\":true}}");

    Hotfix done = bed.awaitTerminal(name);
    assertThat(done.getStatus().phase).isEqualTo(Phase.RolledBack);
    assertThat(done.getStatus().rollbackReason).startsWith("manual:");
    assertThat(bed.images(web)).containsEntry("app", ScenarioBed.GOOD);
    assertThat(bed.phases(done)).containsSubsequence(Phase.RollingOut, Phase.RollingBack, Phase.RolledBack);
    bed.assertAvailabilityNeverDropped(web);
    bed.assertWrites(web, 1, 1, 1);
  }

  @Test
  void aPersonChangingTheImageMidFlightSupersedesTheHotfixWithoutAFight() {
    String web = bed.deploymentReady(d -> { });
    String name = bed.create(bed.hotfix(web, "registry.example.com/web:1.1-unready", s -> { }));
    await().atMost(Duration.ofSeconds(20)).until(() -> bed.images(web).get("app").endsWith("unready"));

    // what `kubectl set image` sends: a strategic merge patch, no resourceVersion
    bed.client.apps().deployments().inNamespace(ScenarioBed.NS).withName(web).patch(
        PatchContext.of(PatchType.STRATEGIC_MERGE),
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\","
            + "\"image\":\"registry.example.com/web:1.2-by-hand\"}]}}}}");

    Hotfix done = bed.awaitTerminal(name);
    assertThat(done.getStatus().phase).isEqualTo(Phase.Superseded);
    assertThat(done.getStatus().message).contains("changed by someone else", "web:1.2-by-hand");
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(bed.images(web)).containsEntry("app", "registry.example.com/web:1.2-by-hand");
      assertThat(bed.get(name).getStatus().phase).isEqualTo(Phase.Superseded);
    });
    assertThat(bed.deployment(web).getMetadata().getAnnotations())
        .as("no write after stepping aside: not even its own annotation was removed")
        .containsEntry(HotfixAnnotations.ACTIVE, name);
    assertThat(bed.phases(done)).containsSubsequence(Phase.RollingOut, Phase.Superseded)
        .doesNotContain(Phase.RollingBack);
    bed.assertAvailabilityNeverDropped(web);
    bed.assertWrites(web, 1, 0, 0);
  }

  @Test
  void aSecondHotfixOnTheSameDeploymentWaitsForTheFirst() {
    String web = bed.deploymentReady(d -> { });
    String first = bed.create(bed.hotfix(web, "registry.example.com/web:1.1-hotfix.1",
        s -> s.verification.bakeSeconds = 3));
    bed.awaitPhase(first, Phase.RollingOut);
    String second = bed.create(bed.hotfix(web, "registry.example.com/web:1.1-hotfix.2",
        s -> s.verification.bakeSeconds = 1));

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Hotfix waiting = bed.get(second);
      assertThat(waiting.getStatus()).isNotNull();
      assertThat(waiting.getStatus().phase).isEqualTo(Phase.Pending);
      assertThat(waiting.getStatus().message).contains("waiting for Hotfix " + first);
    });

    assertThat(bed.awaitTerminal(first).getStatus().phase).isEqualTo(Phase.Succeeded);
    Hotfix secondDone = bed.awaitTerminal(second);
    assertThat(secondDone.getStatus().phase).isEqualTo(Phase.Succeeded);
    assertThat(secondDone.getStatus().previous.images).singleElement()
        .satisfies(i -> assertThat(i.image).isEqualTo("registry.example.com/web:1.1-hotfix.1"));
    assertThat(bed.images(web)).containsEntry("app", "registry.example.com/web:1.1-hotfix.2");
    assertThat(bed.phases(secondDone)).containsSubsequence(Phase.RollingOut, Phase.Verifying, Phase.Succeeded);
    bed.assertAvailabilityNeverDropped(web);
    bed.assertWrites(web, 2, 0, 2);
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
    String web = bed.deploymentReady(d -> {
      switch (badInput) {
        case "recreate" -> d.getSpec().getStrategy().setType("Recreate");
        case "no-history" -> d.getSpec().setRevisionHistoryLimit(0);
        default -> { }
      }
    });
    if (badInput.equals("paused")) {
      // what `kubectl rollout pause` sends
      bed.client.apps().deployments().inNamespace(ScenarioBed.NS).withName(web)
          .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), "{\"spec\":{\"paused\":true}}");
      // let the controller record the pause first: it writes the Deployment's status once more
      await().atMost(Duration.ofSeconds(10)).until(() -> bed.deployment(web).getStatus().getConditions().stream()
          .anyMatch(c -> "DeploymentPaused".equals(c.getReason())));
    }
    String rv = bed.deployment(web).getMetadata().getResourceVersion();
    Hotfix h = bed.hotfix(badInput.equals("missing-deployment") ? "no-such-deployment" : web,
        "registry.example.com/web:1.1-hotfix.1", s -> { });
    if (badInput.equals("unknown-container")) {
      h.getSpec().containers = List.of(new ContainerImage("worker", "registry.example.com/worker:2"));
    }

    Hotfix done = bed.runToEnd(h);

    assertThat(done.getStatus().phase).isEqualTo(Phase.Rejected);
    assertThat(done.getStatus().message).contains(message);
    assertThat(bed.deployment(web).getMetadata().getResourceVersion()).as("the Deployment is untouched").isEqualTo(rv);
    assertThat(bed.images(web)).containsEntry("app", ScenarioBed.GOOD);
    assertThat(bed.phases(done)).containsExactly(Phase.Rejected);
    bed.assertWrites(web, 0, 0, 0);
  }
}
