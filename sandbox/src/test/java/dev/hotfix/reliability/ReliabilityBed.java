package dev.hotfix.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.operator.ScenarioBed;
import dev.hotfix.report.IncidentReport;
import dev.hotfix.rollout.HotfixAnnotations;
import dev.hotfix.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;

/** The reliability suite's name for the one {@link ScenarioBed}: no operator until the test starts one. */
final class ReliabilityBed extends ScenarioBed {
  ReliabilityBed(SandboxOptions options) {
    super(options);
  }

  /**
   * What a finished Hotfix leaves, whatever happened on the way: Deployment {@code web} given
   * back to its owner (no lock annotations, the owner's strategy again) and the incident report
   * of the terminal phase in the ConfigMap status.report names, the one status.reportDigest records.
   *
   * @return the Hotfix as stored once both are done
   */
  Hotfix assertFinished(String name, String web) {
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      Hotfix h = get(name);
      return h.getStatus().reportDigest != null && !deployment(web).getMetadata().getAnnotations()
          .containsKey(HotfixAnnotations.ACTIVE);
    });
    Hotfix done = get(name);
    Deployment d = deployment(web);
    assertThat(d.getMetadata().getAnnotations()).as("released").doesNotContainKeys(HotfixAnnotations.ACTIVE,
        HotfixAnnotations.ATTEMPT, HotfixAnnotations.PREVIOUS_REVISION);
    assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable()).as("the owner's strategy again")
        .isEqualTo(OWNER_MAX_UNAVAILABLE);
    ConfigMap report = client.configMaps().inNamespace(NS).withName(done.getStatus().report).get();
    assertThat(report).as("report ConfigMap %s", done.getStatus().report).isNotNull();
    String markdown = report.getData().get(IncidentReport.KEY);
    assertThat(markdown).contains("**Outcome: " + done.getStatus().phase + "**");
    assertThat(IncidentReport.digest(markdown)).isEqualTo(done.getStatus().reportDigest);
    return done;
  }
}
