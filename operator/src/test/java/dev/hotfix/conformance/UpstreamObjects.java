package dev.hotfix.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The objects deployment_util_test.go builds its cases from (generateDeployment,
 * generateRS, generatePodTemplateSpec), built from a fixture row's facts.
 */
public final class UpstreamObjects {

  /** Upstream's {@code now}; "before" and "later" are a minute either side of it. */
  private static final Map<String, String> CREATED = Map.of(
      "before", "2017-01-01T00:00:00Z", "now", "2017-01-01T00:01:00Z", "later", "2017-01-01T00:02:00Z");

  private UpstreamObjects() {}

  /** generateDeployment("nginx"): one container "nginx", labels and selector name=nginx. */
  public static Deployment nginxDeployment() {
    return new DeploymentBuilder()
        .withNewMetadata().withName("nginx").withNamespace("default").withUid(UUID.randomUUID().toString())
        .withAnnotations(new LinkedHashMap<>()).endMetadata()
        .withNewSpec().withReplicas(1)
        .withNewSelector().withMatchLabels(Map.of("name", "nginx")).endSelector()
        .withTemplate(nginxTemplate("nginx", null))
        .endSpec()
        .build();
  }

  /**
   * generateRS of a Deployment whose container is named {@code row.container}: the template with
   * the row's pod-template-hash label (on the ReplicaSet and its template, as upstream's shared
   * label map has it), creationTimestamp and spec.replicas, controlled by {@code owner}.
   */
  public static ReplicaSet nginxReplicaSet(JsonNode row, Deployment owner) {
    String hash = row.path("hash").isTextual() ? row.get("hash").asText() : null;
    PodTemplateSpec template = nginxTemplate(row.get("container").asText(), hash);
    String created = row.path("created").isTextual() ? CREATED.get(row.get("created").asText()) : null;
    return new ReplicaSetBuilder()
        .withNewMetadata().withName(row.get("name").asText()).withNamespace("default")
        .withUid(UUID.randomUUID().toString()).withCreationTimestamp(created)
        .withLabels(template.getMetadata().getLabels())
        .addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment").withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid()).withController(true).endOwnerReference()
        .endMetadata()
        .withNewSpec().withReplicas(row.get("replicas").asInt())
        .withNewSelector().withMatchLabels(template.getMetadata().getLabels()).endSelector()
        .withTemplate(template).endSpec()
        .build();
  }

  /** generatePodTemplateSpec(name, nodeName, annotations, labels). */
  public static PodTemplateSpec template(JsonNode spec) {
    return new PodTemplateSpecBuilder()
        .withNewMetadata().withName(spec.get("name").asText())
        .withAnnotations(strings(spec.get("annotations"))).withLabels(strings(spec.get("labels"))).endMetadata()
        .withNewSpec().withNodeName(spec.get("nodeName").asText()).endSpec()
        .build();
  }

  private static PodTemplateSpec nginxTemplate(String containerName, String hash) {
    Map<String, String> labels = new LinkedHashMap<>(Map.of("name", "nginx"));
    if (hash != null) {
      labels.put("pod-template-hash", hash);
    }
    return new PodTemplateSpecBuilder()
        .withNewMetadata().withLabels(labels).endMetadata()
        .withNewSpec()
        .addNewContainer().withName(containerName).withImage("nginx").withImagePullPolicy("Always")
        .withTerminationMessagePath("/dev/termination-log").endContainer()
        .withDnsPolicy("ClusterFirst").withTerminationGracePeriodSeconds(30L).withRestartPolicy("Always")
        .withNewSecurityContext().endSecurityContext()
        .endSpec()
        .build();
  }

  private static Map<String, String> strings(JsonNode object) {
    Map<String, String> out = new LinkedHashMap<>();
    object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }
}
