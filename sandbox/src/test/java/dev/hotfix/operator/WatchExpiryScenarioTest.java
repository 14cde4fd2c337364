package dev.hotfix.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.sandbox.SandboxOptions;
import dev.hotfix.sandbox.api.ApiServer;
import dev.hotfix.sandbox.api.WatchSettings;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's scenario still completes when watches expire mid-rollout: the sandbox's watch
 * cache window is 300 ms and bookmarks come every 10 minutes, so when the watches of the operator
 * and of the simulated cluster are closed during the rollout (as a broken connection or a
 * timeout closes them) their re-watches are refused 410 "too old resource version" and every
 * informer lists again. The Hotfix still succeeds and no pod event showed fewer ready pods than
 * desired.
 */
class WatchExpiryScenarioTest {
  private static ScenarioBed bed;

  @BeforeAll
  static void start() {
    bed = new ScenarioBed(SandboxOptions.defaults().withPrometheus(false).withPodStartDelay(Duration.ofMillis(300))
        .withApiWatch(new WatchSettings(Duration.ofMinutes(10), Duration.ofMillis(300), Duration.ofMinutes(30))),
        OperatorOptions.defaults());
  }

  @AfterAll
  static void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void aHotfixSucceedsWhileEveryInformerHasToListAgainMidRollout() {
    String web = bed.deploymentReady(d -> { });
    ApiServer api = bed.sandbox.apiServer();
    String name = bed.create(bed.hotfix(web, "registry.example.com/web:1.1-hotfix.1", s -> { }));
    bed.awaitPhase(name, Phase.RollingOut);

    long expiredBefore = api.expiredWatches();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
      bed.sandbox.apiFaults().dropWatches(Duration.ZERO);
      return api.expiredWatches() >= expiredBefore + 3;
    });

    Hotfix done = bed.awaitTerminal(name);
    assertThat(done.getStatus().phase).isEqualTo(Phase.Succeeded);
    assertThat(bed.images(web)).containsEntry("app", "registry.example.com/web:1.1-hotfix.1");
    bed.assertAvailabilityNeverDropped(web);
  }
}
