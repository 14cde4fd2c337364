package dev.hotfix.sandbox.api.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One node of a CRD's structural schema ({@code openAPIV3Schema} or a nested property), read the
 * way the API server reads it: the shape keywords ({@code properties}, {@code items},
 * {@code additionalProperties}) and the Kubernetes extensions that change how values are
 * defaulted, pruned and validated.
 */
record StructuralSchema(JsonNode node) {

  /** The schema of property {@code name}, or null when the schema does not list it. */
  StructuralSchema property(String name) {
    JsonNode property = node.path("properties").get(name);
    return property == null || !property.isObject() ? null : new StructuralSchema(property);
  }

  boolean hasProperties() {
    return node.path("properties").isObject();
  }

  /** The schema of the values of a map ({@code additionalProperties} as a schema), or null. */
  StructuralSchema additionalProperties() {
    JsonNode additional = node.get("additionalProperties");
    return additional != null && additional.isObject() ? new StructuralSchema(additional) : null;
  }

  /** The schema of array elements, or null. */
  StructuralSchema items() {
    JsonNode items = node.get("items");
    return items != null && items.isObject() ? new StructuralSchema(items) : null;
  }

  /** Unknown fields are kept, not pruned: {@code x-kubernetes-preserve-unknown-fields}, or any map. */
  boolean preservesUnknownFields() {
    return node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
        || node.path("additionalProperties").asBoolean(false);
  }

  /** An embedded object ({@code x-kubernetes-embedded-resource}) keeps apiVersion, kind and metadata. */
  boolean embeddedResource() {
    return node.path("x-kubernetes-embedded-resource").asBoolean(false);
  }

  boolean intOrString() {
    return node.path("x-kubernetes-int-or-string").asBoolean(false);
  }

  boolean nullable() {
    return node.path("nullable").asBoolean(false);
  }

  /** The {@code default}, or null when there is none. */
  JsonNode defaultValue() {
    return node.get("default");
  }

  /** The declared type name, {@code "integer"} or {@code "string"} etc.; "" when untyped. */
  String type() {
    return node.path("type").asText("");
  }

  /** The type name CEL errors show: the declared type, or what an untyped value is. */
  String typeName(JsonNode value) {
    return !type().isEmpty() ? type() : JsonValues.typeName(value);
  }

  /** The {@code x-kubernetes-validations} entries of this node. */
  List<JsonNode> validations() {
    List<JsonNode> rules = new ArrayList<>();
    node.path("x-kubernetes-validations").forEach(rules::add);
    return rules;
  }

  /** Keys of a {@code x-kubernetes-list-type: map} list; empty for other lists. */
  List<String> listMapKeys() {
    List<String> keys = new ArrayList<>();
    if ("map".equals(node.path("x-kubernetes-list-type").asText())) {
      node.path("x-kubernetes-list-map-keys").forEach(key -> keys.add(key.asText()));
    }
    return keys;
  }
}
