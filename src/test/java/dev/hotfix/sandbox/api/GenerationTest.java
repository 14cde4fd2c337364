package dev.hotfix.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * metadata.generation as upstream's Deployment strategy (pkg/registry/apps/deployment/strategy.go
 * PrepareForUpdate) moves it: spec and annotation changes bump it, label changes and status
 * writes do not, and the status subresource may carry annotations without bumping it (how the
 * Deployment controller records its revision). Seen failing: without the annotation rule the
 * annotation case stays at generation 1.
 */
class GenerationTest {

  private static ApiServer server;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    server = ApiServer.start(ApiServerOptions.defaults());
    client = server.client();
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
}
