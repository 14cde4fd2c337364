package dev.hotfix.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotfix.json.KubernetesJson;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Pod template facts the way the Deployment controller sees them. */
public final class PodTemplates {
  /** The label the Deployment controller adds to each ReplicaSet's template and pods. */
  public static final String HASH_LABEL = "pod-template-hash";

  private PodTemplates() {
  }

  /** Equality ignoring the pod-template-hash label, as upstream's {@code EqualIgnoreHash}. */
  public static boolean equalIgnoringHash(PodTemplateSpec a, PodTemplateSpec b) {
    if (a == null || b == null) {
      return a == b;
    }
    // The model's equals decides the common case (the same template) without building JSON
    // trees on every reconcile; only templates it calls different are compared as canonical JSON.
    if (Objects.equals(a.getSpec(), b.getSpec()) && Objects.equals(withoutHashLabel(a.getMetadata()),
        withoutHashLabel(b.getMetadata()))) {
      return true;
    }
    return canonicalJson(a).equals(canonicalJson(b));
  }

  /**
   * The template as canonical JSON without the pod-template-hash label: sorted keys, without nulls
   * and empty objects or lists (upstream's semantic equality treats empty and absent alike), so
   * equal templates give equal text however they were written. The sandbox hashes it.
   */
  public static String canonicalJson(PodTemplateSpec template) {
    JsonNode normalized = normalize(withoutHashTree(template));
    try {
      return KubernetesJson.MAPPER.writeValueAsString(normalized == null ? KubernetesJson.MAPPER.createObjectNode()
          : normalized);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a pod template always serializes", e);
    }
  }

  /** Sorts object keys and drops nulls and empty objects/lists; null when nothing is left. */
  private static JsonNode normalize(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      ObjectNode out = KubernetesJson.MAPPER.createObjectNode();
      for (String name : names) {
        JsonNode value = normalize(node.get(name));
        if (value != null) {
          out.set(name, value);
        }
      }
      return out.isEmpty() ? null : out;
    }
    if (node.isArray()) {
      ArrayNode out = KubernetesJson.MAPPER.createArrayNode();
      for (JsonNode element : node) {
        JsonNode value = normalize(element);
        out.add(value == null ? KubernetesJson.MAPPER.createObjectNode() : value);
      }
      return out.isEmpty() ? null : out;
    }
    return node;
  }

  private static ObjectMeta withoutHashLabel(ObjectMeta metadata) {
    if (metadata == null || metadata.getLabels() == null || !metadata.getLabels().containsKey(HASH_LABEL)) {
      return metadata;
    }
    Map<String, String> labels = new LinkedHashMap<>(metadata.getLabels());
    labels.remove(HASH_LABEL);
    return new ObjectMetaBuilder(metadata).withLabels(labels.isEmpty() ? null : labels).build();
  }

  /** A copy of the template without the pod-template-hash label (what {@code rollout undo} restores). */
  public static PodTemplateSpec withoutHash(PodTemplateSpec template) {
    return KubernetesJson.SERIALIZATION.convertValue(withoutHashTree(template), PodTemplateSpec.class);
  }

  /**
   * Container name to image, init containers first, in template order (names are unique across
   * both lists, as the API server requires, so one map holds them).
   */
  public static Map<String, String> images(PodTemplateSpec template) {
    Map<String, String> images = new LinkedHashMap<>();
    if (template != null && template.getSpec() != null) {
      if (template.getSpec().getInitContainers() != null) {
        for (Container c : template.getSpec().getInitContainers()) {
          images.put(c.getName(), c.getImage());
        }
      }
      for (Container c : template.getSpec().getContainers()) {
        images.put(c.getName(), c.getImage());
      }
    }
    return images;
  }

  private static JsonNode withoutHashTree(PodTemplateSpec template) {
    ObjectNode tree = KubernetesJson.MAPPER.valueToTree(template);
    JsonNode labels = tree.path("metadata").path("labels");
    if (labels instanceof ObjectNode labelMap) {
      labelMap.remove(HASH_LABEL);
      if (labelMap.isEmpty()) {
        ((ObjectNode) tree.get("metadata")).remove("labels");
      }
    }
    return tree;
  }
}
