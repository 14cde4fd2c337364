package dev.hotfix.sandbox.api.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;

/**
 * Turns a CRD's structural schema (OpenAPI v3.0 with Kubernetes extensions) into a plain JSON
 * schema (draft 4, whose {@code exclusiveMinimum} is OpenAPI 3.0's) that a standard validator
 * checks the way the API server does: {@code nullable} admits {@code null},
 * {@code x-kubernetes-int-or-string} admits an integer or a string, and annotations that do not
 * validate ({@code default}, {@code description}, the other {@code x-kubernetes-*}) are dropped.
 */
final class JsonSchemaTranslation {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Keywords copied as they are: they mean the same in both dialects. */
  private static final Set<String> VALUE_KEYWORDS = Set.of("type", "enum", "required", "pattern", "minimum",
      "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "minItems", "maxItems",
      "uniqueItems", "multipleOf", "minProperties", "maxProperties");

  /** Formats the API server checks and the validator knows the same way; others are not checked. */
  private static final Set<String> CHECKED_FORMATS = Set.of("date-time", "date", "uuid", "ipv4", "ipv6");

  private JsonSchemaTranslation() {
  }

  static ObjectNode translate(JsonNode schema) {
    ObjectNode out = NODES.objectNode();
    for (Map.Entry<String, JsonNode> keyword : schema.properties()) {
      String name = keyword.getKey();
      JsonNode value = keyword.getValue();
      switch (name) {
        case "properties" -> {
          ObjectNode properties = out.putObject("properties");
          value.properties().forEach(p -> properties.set(p.getKey(), translate(p.getValue())));
        }
        case "items", "additionalProperties", "not" -> out.set(name, value.isObject() ? translate(value) : value);
        case "allOf", "anyOf", "oneOf" -> {
          ArrayNode branches = out.putArray(name);
          value.forEach(branch -> branches.add(translate(branch)));
        }
        case "format" -> {
          if (CHECKED_FORMATS.contains(value.asText())) {
            out.set(name, value);
          }
        }
        default -> {
          if (VALUE_KEYWORDS.contains(name)) {
            out.set(name, value.deepCopy());
          }
        }
      }
    }
    StructuralSchema structural = new StructuralSchema(schema);
    if (structural.intOrString() && !out.has("anyOf")) {
      out.remove("type");
      ArrayNode anyOf = out.putArray("anyOf");
      anyOf.addObject().put("type", "integer");
      anyOf.addObject().put("type", "string");
    }
    if (structural.nullable()) {
      admitNull(out);
    }
    return out;
  }

  private static void admitNull(ObjectNode schema) {
    JsonNode type = schema.get("type");
    if (type != null && type.isTextual()) {
      schema.putArray("type").add(type.asText()).add("null");
    } else if (schema.has("anyOf")) {
      ((ArrayNode) schema.get("anyOf")).addObject().put("type", "null");
    }
    if (schema.get("enum") instanceof ArrayNode values) {
      values.addNull();
    }
  }
}
