package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The {@code scale} subresource of workloads ({@code kubectl scale}, the HPA): an
 * {@code autoscaling/v1 Scale} view of {@code spec.replicas}, and writing one back.
 */
final class ScaleSubresource {
  private ScaleSubresource() {
  }

  /** The Scale view of a stored workload. */
  static ObjectNode of(JsonNode workload) {
    ObjectNode scale = CrudStore.JSON.createObjectNode().put("kind", "Scale").put("apiVersion", "autoscaling/v1");
    ObjectNode metadata = scale.putObject("metadata");
    JsonNode source = workload.path("metadata");
    for (String field : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
      if (source.has(field)) {
        metadata.set(field, source.get(field));
      }
    }
    scale.putObject("spec").put("replicas", workload.path("spec").path("replicas").asInt(1));
    scale.putObject("status").put("replicas", workload.path("status").path("replicas").asInt(0))
        .put("selector", LabelSelectors.format(workload.path("spec").path("selector")));
    return scale;
  }

  /** The workload with the replicas a Scale asks for (the Scale's resourceVersion kept for the conflict check). */
  static ObjectNode apply(JsonNode workload, JsonNode scale) {
    ObjectNode updated = workload.deepCopy();
    updated.withObjectProperty("spec").set("replicas", scale.path("spec").path("replicas"));
    JsonNode version = scale.path("metadata").path("resourceVersion");
    if (version.isTextual()) {
      ((ObjectNode) updated.get("metadata")).set("resourceVersion", version);
    }
    return updated;
  }
}
