package dev.hotfix.sandbox.api.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Pruning of fields the structural schema does not specify, as the API server does for custom
 * resources unless {@code x-kubernetes-preserve-unknown-fields} says otherwise. It reports what
 * it pruned, because under {@code fieldValidation=Strict} those fields are an error instead.
 */
final class UnknownFieldPruner {
  /** Fields of every object (and of embedded resources) that belong to ObjectMeta/TypeMeta. */
  private static final Set<String> TYPE_AND_OBJECT_META = Set.of("apiVersion", "kind", "metadata");

  private UnknownFieldPruner() {
  }

  /** Prunes a whole custom resource in place; returns the pruned paths, e.g. {@code spec.foo}. */
  static List<String> pruneObject(ObjectNode object, StructuralSchema root) {
    List<String> pruned = new ArrayList<>();
    pruneFields(object, root, "", true, pruned);
    return pruned;
  }

  private static void prune(JsonNode value, StructuralSchema schema, String path, List<String> pruned) {
    if (value instanceof ObjectNode object) {
      pruneFields(object, schema, path, schema.embeddedResource(), pruned);
    } else if (value instanceof ArrayNode array && schema.items() != null) {
      for (int i = 0; i < array.size(); i++) {
        prune(array.get(i), schema.items(), FieldPath.index(path, i), pruned);
      }
    }
  }

  private static void pruneFields(ObjectNode object, StructuralSchema schema, String path, boolean keepMeta,
      List<String> pruned) {
    for (String name : JsonValues.fieldNames(object)) {
      if (keepMeta && TYPE_AND_OBJECT_META.contains(name)) {
        continue;
      }
      StructuralSchema property = schema.property(name);
      if (property != null) {
        prune(object.get(name), property, FieldPath.child(path, name), pruned);
      } else if (schema.additionalProperties() != null) {
        prune(object.get(name), schema.additionalProperties(), FieldPath.key(path, name), pruned);
      } else if (!schema.preservesUnknownFields()) {
        object.remove(name);
        pruned.add(FieldPath.child(path, name));
      }
    }
  }
}
