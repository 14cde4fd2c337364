package dev.hotfix.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotfix.api.v1alpha1.StrategyRecord;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeploymentPatchTest {

  @Test
  void setsImagesStrategyAndAnnotationsInOneDocumentPinnedToTheResourceVersion() {
    Deployment d = deployment("7");
    StrategyRecord strategy = new StrategyRecord();
    strategy.type = "RollingUpdate";
    strategy.maxSurge = new IntOrString(1);
    strategy.maxUnavailable = new IntOrString(0);
    strategy.progressDeadlineSeconds = 120;

    JsonNode patched = apply(d, DeploymentPatch.of(d)
        .annotate(HotfixAnnotations.ACTIVE, "fix-1")
        .images(Map.of("app", "web:2"))
        .strategy(strategy));

    assertThat(patched.at("/metadata/resourceVersion").asText()).isEqualTo("7");
    assertThat(patched.at("/metadata/annotations/hotfix.dev~1active").asText()).isEqualTo("fix-1");
    assertThat(patched.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("web:1");
    assertThat(patched.at("/spec/template/spec/containers/1/image").asText()).isEqualTo("web:2");
    assertThat(patched.at("/spec/strategy/rollingUpdate/maxSurge").asInt()).isEqualTo(1);
    assertThat(patched.at("/spec/strategy/rollingUpdate/maxUnavailable").asInt()).isZero();
    assertThat(patched.at("/spec/progressDeadlineSeconds").asInt()).isEqualTo(120);
  }

  @Test
  void removingAnAbsentAnnotationIsANoOp() {
    Deployment d = deployment("7");

    JsonNode patched = apply(d, DeploymentPatch.of(d).removeAnnotation(HotfixAnnotations.ACTIVE));

    assertThat(patched).isEqualTo(Serialization.jsonMapper().valueToTree(d));
  }

  @Test
  void recreateStrategyCarriesNoRollingUpdate() {
    Deployment d = deployment("7");
    StrategyRecord recreate = new StrategyRecord();
    recreate.type = "Recreate";

    JsonNode patched = apply(d, DeploymentPatch.of(d).strategy(recreate));

    assertThat(patched.at("/spec/strategy/type").asText()).isEqualTo("Recreate");
    assertThat(patched.at("/spec/strategy/rollingUpdate").isMissingNode()).isTrue();
  }

  @Test
  void theResourceVersionOperationMakesTheServerRefuseAStaleBase() {
    Deployment stale = deployment("7");
    JsonNode stored = Serialization.jsonMapper().valueToTree(deployment("8"));

    JsonNode patched = JsonPatch.apply(Serialization.unmarshal(DeploymentPatch.of(stale).toJson(), JsonNode.class),
        stored);

    // An API server compares the patched object's resourceVersion with the stored one: 7 != 8 means 409.
    assertThat(patched.at("/metadata/resourceVersion").asText()).isEqualTo("7");
  }

  private static JsonNode apply(Deployment d, DeploymentPatch patch) {
    return JsonPatch.apply(Serialization.unmarshal(patch.toJson(), JsonNode.class),
        Serialization.jsonMapper().valueToTree(d));
  }

  private static Deployment deployment(String resourceVersion) {
    return new DeploymentBuilder().withNewMetadata().withName("web").withResourceVersion(resourceVersion).endMetadata()
        .withNewSpec().withNewTemplate().withNewSpec()
        .addNewContainer().withName("sidecar").withImage("web:1").endContainer()
        .addNewContainer().withName("app").withImage("web:1").endContainer()
        .endSpec().endTemplate().endSpec().build();
  }
}
