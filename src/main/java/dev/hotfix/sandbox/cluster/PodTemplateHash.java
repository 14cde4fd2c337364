package dev.hotfix.sandbox.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotfix.json.KubernetesJson;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The identity of a pod template, as the Deployment controller uses it: a short, stable hash that
 * names the ReplicaSet and labels its pods, and template equality that ignores that label.
 *
 * <p>Like upstream, the hash is FNV-1a (32 bit) of the template plus the Deployment's collision
 * count, written as its decimal digits mapped into the alphabet {@code bcdfghjklmnpqrstvwxz2456789}
 * (upstream's "safe encoding", which avoids vowels and look-alike characters). The bytes hashed
 * are a canonical JSON form (sorted keys, without empty values), so equal templates hash equally
 * however they were written.
 */
final class PodTemplateHash {

  /** The label the Deployment controller adds to a ReplicaSet, its selector and its pods. */
  static final String LABEL = "pod-template-hash";

  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private static final ObjectMapper MAPPER = KubernetesJson.MAPPER;

  private PodTemplateHash() {}

  /** The hash of a template for a Deployment whose status.collisionCount is {@code collisionCount}. */
  static String of(PodTemplateSpec template, Integer collisionCount) {
    int hash = 0x811c9dc5;
    byte[] bytes = canonical(template).getBytes(StandardCharsets.UTF_8);
    for (byte b : bytes) {
      hash ^= b & 0xff;
      hash *= 0x01000193;
    }
    if (collisionCount != null) {
      // upstream feeds the collision count into the same hash so a bump yields a new name
      for (byte b : Integer.toString(collisionCount).getBytes(StandardCharsets.US_ASCII)) {
        hash ^= b & 0xff;
        hash *= 0x01000193;
      }
    }
    String digits = Long.toString(Integer.toUnsignedLong(hash));
    StringBuilder out = new StringBuilder(digits.length());
    for (char c : digits.toCharArray()) {
      out.append(ALPHABET.charAt(c % ALPHABET.length()));
    }
    return out.toString();
  }

  /** Whether two templates are the same once the pod-template-hash label is ignored. */
  static boolean equalIgnoringHash(PodTemplateSpec a, PodTemplateSpec b) {
    return canonical(a).equals(canonical(b));
  }

  private static String canonical(PodTemplateSpec template) {
    JsonNode tree = MAPPER.valueToTree(template);
    JsonNode labels = tree.path("metadata").path("labels");
    if (labels instanceof ObjectNode labelNode) {
      labelNode.remove(LABEL);
    }
    JsonNode normalized = normalize(tree);
    try {
      return MAPPER.writeValueAsString(normalized == null ? MAPPER.createObjectNode() : normalized);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a pod template always serializes", e);
    }
  }

  /** Sorts object keys and drops nulls and empty objects/arrays; null when nothing is left. */
  private static JsonNode normalize(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      ObjectNode out = MAPPER.createObjectNode();
      for (String name : names) {
        JsonNode value = normalize(node.get(name));
        if (value != null) {
          out.set(name, value);
        }
      }
      return out.isEmpty() ? null : out;
    }
    if (node.isArray()) {
      var out = MAPPER.createArrayNode();
      for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
        JsonNode value = normalize(it.next());
        out.add(value == null ? MAPPER.createObjectNode() : value);
      }
      return out.isEmpty() ? null : out;
    }
    return node;
  }

  /** A copy of {@code labels} with the hash label set. */
  static Map<String, String> withHashLabel(Map<String, String> labels, String hash) {
    Map<String, String> out = new LinkedHashMap<>();
    if (labels != null) {
      out.putAll(labels);
    }
    out.put(LABEL, hash);
    return out;
  }
}
