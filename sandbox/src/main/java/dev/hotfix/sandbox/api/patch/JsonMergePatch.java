package dev.hotfix.sandbox.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * RFC 7386 JSON merge patch, exactly as the RFC's pseudo-code defines it. The mock server's own
 * merge appends to lists, which a real API server never does: here a list in the patch replaces
 * the list in the target, {@code null} deletes a member, and a patch that is not an object
 * replaces the whole target.
 */
public final class JsonMergePatch {
  private JsonMergePatch() {
  }

  /** Returns {@code target} with {@code patch} merged in; neither argument is modified. */
  public static JsonNode apply(JsonNode target, JsonNode patch) {
    if (patch == null || !patch.isObject()) {
      return patch == null ? null : patch.deepCopy();
    }
    ObjectNode result = target != null && target.isObject()
        ? ((ObjectNode) target).deepCopy()
        : JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> field : patch.properties()) {
      if (field.getValue().isNull()) {
        result.remove(field.getKey());
      } else {
        result.set(field.getKey(), apply(result.get(field.getKey()), field.getValue()));
      }
    }
    return result;
  }
}
