package dev.hotfix.sandbox.api.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Small questions about JSON values that defaulting, pruning and validation all ask. */
final class JsonValues {
  private JsonValues() {
  }

  /** Field names of an object, copied so the object can be changed while iterating them. */
  static List<String> fieldNames(ObjectNode object) {
    List<String> names = new ArrayList<>(object.size());
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** The JSON-schema type name of a value, as the API server names it in errors. */
  static String typeName(JsonNode value) {
    if (value == null || value.isNull()) {
      return "null";
    }
    return value.isObject() ? "object" : value.isArray() ? "array" : value.isTextual() ? "string"
        : value.isIntegralNumber() ? "integer" : value.isNumber() ? "number" : "boolean";
  }
}
