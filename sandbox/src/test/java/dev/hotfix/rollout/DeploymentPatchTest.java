package dev.hotfix.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotfix.api.v1alpha1.StrategyRecord;
import dev.hotfix.json.KubernetesJson;
import dev.hotfix.sandbox.api.ApiServer;
import dev.hotfix.sandbox.api.ApiServerOptions;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
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

    assertThat(patched).isEqualTo(KubernetesJson.MAPPER.valueToTree(d));
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

  /** Against the sandbox's API server: the patch of a version someone else wrote over is answered 409, and changes nothing. */
  @Test
  void theResourceVersionOperationMakesTheServerRefuseAStaleBase() {
    try (ApiServer api = ApiServer.start(ApiServerOptions.defaults().withoutClasspathCrds());
        KubernetesClient client = api.client()) {
      Deployment stale = client.resource(sandboxDeployment()).create();
      client.apps().deployments().inNamespace("default").withName("web")
          .edit(d -> new DeploymentBuilder(d).editMetadata().addToLabels("edited", "by-someone-else").endMetadata()
              .build());

      KubernetesClientException refused = catchThrowableOfType(KubernetesClientException.class, () ->
          client.apps().deployments().inNamespace("default").resource(stale).patch(
              PatchContext.of(PatchType.JSON), DeploymentPatch.of(stale).images(Map.of("app", "web:2")).toJson()));

      assertThat(refused.getCode()).isEqualTo(409);
      assertThat(client.apps().deployments().inNamespace("default").withName("web").get().getSpec().getTemplate()
          .getSpec().getContainers()).extracting(c -> c.getImage()).containsOnly("web:1");
    }
  }

  private static Deployment sandboxDeployment() {
    return new DeploymentBuilder(deployment(null)).editMetadata().withNamespace("default").endMetadata().editSpec()
        .withReplicas(1).withNewSelector().addToMatchLabels("app", "web").endSelector().editTemplate().withNewMetadata()
        .addToLabels("app", "web").endMetadata().endTemplate().endSpec().build();
  }

  private static JsonNode apply(Deployment d, DeploymentPatch patch) {
    return JsonPatch.apply(KubernetesJson.SERIALIZATION.unmarshal(patch.toJson(), JsonNode.class),
        KubernetesJson.MAPPER.valueToTree(d));
  }

  private static Deployment deployment(String resourceVersion) {
    return new DeploymentBuilder().withNewMetadata().withName("web").withResourceVersion(resourceVersion).endMetadata()
        .withNewSpec().withNewTemplate().withNewSpec()
        .addNewContainer().withName("sidecar").withImage("web:1").endContainer()
        .addNewContainer().withName("app").withImage("web:1").endContainer()
        .endSpec().endTemplate().endSpec().build();
  }
}
