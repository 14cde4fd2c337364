package dev.hotfix.sandbox.api.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotfix.sandbox.api.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The invariants of {@code x-kubernetes-list-type}, which JSON schema cannot express: a
 * {@code set} holds no value twice, a {@code map} no two elements with the same
 * {@code x-kubernetes-list-map-keys}. Duplicates are reported as upstream does, at the later
 * element: {@code spec.targets[2]: Duplicate value: map[string]interface {}{"name":"a"}}.
 */
final class ListTypeValidation {
  private ListTypeValidation() {
  }

  static List<FieldError> validate(JsonNode object, StructuralSchema schema) {
    List<FieldError> errors = new ArrayList<>();
    walk(object, schema, "", errors);
    return errors;
  }

  private static void walk(JsonNode value, StructuralSchema schema, String path, List<FieldError> errors) {
    if (value.isObject()) {
      value.properties().forEach(field -> {
        StructuralSchema property = schema.property(field.getKey());
        StructuralSchema child = property != null ? property : schema.additionalProperties();
        if (child != null) {
          String childPath = property != null ? FieldPath.child(path, field.getKey()) : FieldPath.key(path, field.getKey());
          walk(field.getValue(), child, childPath, errors);
        }
      });
    } else if (value.isArray() && schema.items() != null) {
      duplicates(value, schema, path, errors);
      for (int i = 0; i < value.size(); i++) {
        walk(value.get(i), schema.items(), FieldPath.index(path, i), errors);
      }
    }
  }

  private static void duplicates(JsonNode list, StructuralSchema schema, String path, List<FieldError> errors) {
    boolean set = "set".equals(schema.node().path("x-kubernetes-list-type").asText());
    List<String> keys = schema.listMapKeys();
    if (!set && keys.isEmpty()) {
      return;
    }
    Set<JsonNode> seen = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode identity = set ? list.get(i) : keyFields(list.get(i), keys);
      if (!seen.add(identity)) {
        errors.add(FieldErrors.duplicate(FieldPath.index(path, i), identity));
      }
    }
  }

  private static JsonNode keyFields(JsonNode element, List<String> keys) {
    ObjectNode identity = JsonNodeFactory.instance.objectNode();
    for (String key : keys) {
      if (element.has(key)) {
        identity.set(key, element.get(key));
      }
    }
    return identity;
  }
}
