package dev.hotfix.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.hotfix.api.v1alpha1.CanarySpec;
import dev.hotfix.api.v1alpha1.CheckSpec;
import dev.hotfix.api.v1alpha1.HotfixSpec;
import dev.hotfix.api.v1alpha1.JobCheck;
import dev.hotfix.api.v1alpha1.RolloutSpec;
import dev.hotfix.health.CheckTally;
import dev.hotfix.health.job.JobChecks;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The defaults the operator fills in itself (it must not rely on the API server's defaulting: a
 * Hotfix from before a CRD upgrade, or a client that skipped it) are the CRD's, field by field:
 * the model's {@code @Default} annotations generate the CRD, and this test reads the committed CRD
 * and asks what {@link EffectiveSpec}, {@link CheckTally#limits}, {@link CanaryPlan} and
 * {@link JobChecks#withDefaults} make of an empty spec. Seen failing with EffectiveSpec's bake
 * default changed to 60.
 */
class CrdDefaultsTest {
  private static JsonNode spec;

  @BeforeAll
  static void readCrd() throws IOException {
    JsonNode crd = new ObjectMapper(new YAMLFactory()).readTree(Path.of("crds/hotfixes.hotfix.dev-v1.yml").toFile());
    spec = crd.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema").path("properties")
        .path("spec");
  }

  @Test
  void rolloutVerificationAndRollbackDefaultsAreTheCrds() {
    EffectiveSpec e = EffectiveSpec.of(new HotfixSpec());

    assertThat(e.maxSurge().getStrVal()).isEqualTo(text("rollout", "maxSurge"));
    assertThat(e.maxUnavailable().getIntVal()).isEqualTo(number("rollout", "maxUnavailable"));
    assertThat(e.progressDeadline().toSeconds()).isEqualTo(number("rollout", "progressDeadlineSeconds"));
    assertThat(e.podReadyTimeout().toSeconds()).isEqualTo(number("rollout", "podReadyTimeoutSeconds"));
    assertThat(e.maxRestarts()).isEqualTo(number("rollout", "maxRestarts"));
    assertThat(e.bake().toSeconds()).isEqualTo(number("verification", "bakeSeconds"));
    assertThat(e.interval().toSeconds()).isEqualTo(number("verification", "intervalSeconds"));
    assertThat(e.automaticRollback()).isEqualTo(node("rollback", "automatic").asBoolean());
    assertThat(e.onDelete().name()).isEqualTo(text("rollback", "onDelete"));
    assertThat(e.abort()).isEqualTo(node("abort").asBoolean());
  }

  @Test
  void checkAndCanaryDefaultsAreTheCrds() {
    var limits = CheckTally.limits(new CheckSpec());
    String check = "verification/checks/items";
    assertThat(limits.failureLimit()).isEqualTo(number(check, "failureLimit"));
    assertThat(limits.noDataLimit()).isEqualTo(number(check, "noDataLimit"));
    assertThat(limits.errorLimit()).isEqualTo(number(check, "errorLimit"));

    JobCheck job = JobChecks.withDefaults(new JobCheck());
    assertThat(job.timeoutSeconds).isEqualTo(number(check, "job", "timeoutSeconds"));
    assertThat(job.backoffLimit).isEqualTo(number(check, "job", "backoffLimit"));
    assertThat(job.ttlSecondsAfterFinished).isEqualTo(number(check, "job", "ttlSecondsAfterFinished"));

    HotfixSpec withCanary = new HotfixSpec();
    withCanary.rollout = new RolloutSpec();
    withCanary.rollout.canary = new CanarySpec();
    assertThat(CanaryPlan.of(withCanary).orElseThrow().analysis().toSeconds())
        .isEqualTo(number("rollout", "canary", "analysisSeconds"));
  }

  /** The CRD's default at a path of property names under spec ("a/b/items" steps into an array's items). */
  private static JsonNode node(String... path) {
    JsonNode n = spec;
    for (String step : String.join("/", path).split("/")) {
      n = step.equals("items") ? n.path("items") : n.path("properties").path(step);
    }
    JsonNode value = n.path("default");
    assertThat(value.isMissingNode()).as("a default in the CRD at spec.%s", String.join(".", path)).isFalse();
    return value;
  }

  private static long number(String... path) {
    return node(path).asLong();
  }

  private static String text(String... path) {
    return node(path).asText();
  }
}
