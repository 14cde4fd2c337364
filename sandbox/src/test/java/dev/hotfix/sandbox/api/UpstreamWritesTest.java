package dev.hotfix.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Writes answered as upstream's API server answers them.
 *
 * <p>metadata.generation as upstream's Deployment strategy (pkg/registry/apps/deployment/strategy.go
 * PrepareForUpdate) moves it: spec and annotation changes bump it, label changes and status
 * writes do not, and the status subresource may carry annotations without bumping it (how the
 * Deployment controller records its revision). Seen failing: without the annotation rule the
 * annotation case stays at generation 1.
 *
 * <p>RFC 6902 JSON patches: an operation that does not apply (removing a missing key, a failed
 * test, replacing a missing path) is 422 Invalid with upstream's message, and changes nothing.
 * Seen failing: with zjsonpatch's default flags the removal of a missing key succeeded.
 */
class UpstreamWritesTest {

  private static final String UPSTREAM_MESSAGE = "the server rejected our request due to an error in our request";
  private static ApiServer server;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    server = ApiServer.start(ApiServerOptions.defaults());
    client = server.client();
    client.configMaps().inNamespace("default").resource(
        new ConfigMapBuilder().withNewMetadata().withName("settings").addToLabels("tier", "web").endMetadata()
            .addToData("mode", "fast").build()).create();
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  @Test
  void deploymentAnnotationsBumpTheGenerationLabelsDoNot() {
    Deployment d = client.apps().deployments().inNamespace("default").resource(deployment("annotated")).create();
    assertThat(d.getMetadata().getGeneration()).isEqualTo(1);

    d = client.apps().deployments().inNamespace("default").withName("annotated")
        .edit(x -> new DeploymentBuilder(x).editMetadata().addToLabels("team", "a").endMetadata().build());
    assertThat(d.getMetadata().getGeneration()).as("label change").isEqualTo(1);

    d = client.apps().deployments().inNamespace("default").withName("annotated")
        .edit(x -> new DeploymentBuilder(x).editMetadata().addToAnnotations("note", "x").endMetadata().build());
    assertThat(d.getMetadata().getGeneration()).as("annotation change").isEqualTo(2);

    d = client.apps().deployments().inNamespace("default").withName("annotated")
        .edit(x -> new DeploymentBuilder(x).editSpec().withReplicas(3).endSpec().build());
    assertThat(d.getMetadata().getGeneration()).as("spec change").isEqualTo(3);
  }

  @Test
  void statusWritesCarryAnnotationsWithoutBumpingTheGeneration() {
    client.apps().deployments().inNamespace("default").resource(deployment("observed")).create();
    Deployment d = client.apps().deployments().inNamespace("default").withName("observed").get();
    d.getMetadata().getAnnotations().put("deployment.kubernetes.io/revision", "1");
    d.setStatus(new DeploymentStatusBuilder().withObservedGeneration(1L).build());

    Deployment written = client.apps().deployments().resource(d).updateStatus();

    assertThat(written.getMetadata().getGeneration()).isEqualTo(1);
    assertThat(written.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "1");
    assertThat(written.getStatus().getObservedGeneration()).isEqualTo(1);
    Deployment read = client.apps().deployments().inNamespace("default").withName("observed").get();
    assertThat(read.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "1");
    assertThat(read.getStatus().getObservedGeneration()).isEqualTo(1);
  }

  private static Deployment deployment(String name) {
    return new DeploymentBuilder(ApiFixtures.deployment(name, "app:1"))
        .editMetadata().addToAnnotations("owner", "me").endMetadata().build();
  }

  @Test
  void removingAMissingKeyIsRefused() {
    assertRefused("[{\"op\":\"remove\",\"path\":\"/metadata/labels/missing\"}]");
  }

  @Test
  void aFailedTestIsRefused() {
    assertRefused("[{\"op\":\"test\",\"path\":\"/data/mode\",\"value\":\"slow\"},"
        + "{\"op\":\"replace\",\"path\":\"/data/mode\",\"value\":\"off\"}]");
  }

  @Test
  void replacingAMissingPathIsRefused() {
    assertRefused("[{\"op\":\"replace\",\"path\":\"/data/missing\",\"value\":\"x\"}]");
  }

  @Test
  void aPassingTestLetsThePatchApply() {
    ConfigMap patched = settings().patch(PatchContext.of(PatchType.JSON),
        "[{\"op\":\"test\",\"path\":\"/metadata/labels/tier\",\"value\":\"web\"},"
            + "{\"op\":\"add\",\"path\":\"/metadata/labels/checked\",\"value\":\"yes\"},"
            + "{\"op\":\"remove\",\"path\":\"/metadata/labels/checked\"}]");

    assertThat(patched.getMetadata().getLabels()).containsOnlyKeys("tier");
  }

  private static void assertRefused(String patch) {
    String before = settings().get().getMetadata().getResourceVersion();

    assertThatThrownBy(() -> settings().patch(PatchContext.of(PatchType.JSON), patch))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(422);
          assertThat(e.getStatus().getReason()).isEqualTo("Invalid");
          assertThat(e.getStatus().getMessage()).isEqualTo(UPSTREAM_MESSAGE);
        });
    assertThat(settings().get().getMetadata().getResourceVersion()).isEqualTo(before);
  }

  private static Resource<ConfigMap> settings() {
    return client.configMaps().inNamespace("default").withName("settings");
  }
}
