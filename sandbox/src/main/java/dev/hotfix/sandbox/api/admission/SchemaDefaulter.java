package dev.hotfix.sandbox.api.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Structural-schema defaulting, as the API server does when it decodes a custom resource: an
 * absent property with a {@code default} gets it (and the default is itself defaulted further
 * down), inside objects, array items and map values alike. A {@code null} where the schema is
 * not {@code nullable} is replaced by the default, or dropped when there is none.
 */
final class SchemaDefaulter {
  private SchemaDefaulter() {
  }

  /** Defaults {@code value} in place. */
  static void apply(JsonNode value, StructuralSchema schema) {
    if (value instanceof ObjectNode object) {
      if (schema.hasProperties()) {
        schema.node().path("properties").properties().forEach(property -> {
          StructuralSchema propertySchema = new StructuralSchema(property.getValue());
          if (!object.has(property.getKey()) && propertySchema.defaultValue() != null) {
            object.set(property.getKey(), propertySchema.defaultValue().deepCopy());
          }
        });
      }
      for (String name : JsonValues.fieldNames(object)) {
        StructuralSchema child = schema.property(name);
        defaultChild(object, name, child != null ? child : schema.additionalProperties());
      }
    } else if (value instanceof ArrayNode array && schema.items() != null) {
      StructuralSchema items = schema.items();
      for (int i = array.size() - 1; i >= 0; i--) {
        JsonNode element = array.get(i);
        if (element.isNull() && !items.nullable() && items.defaultValue() != null) {
          array.set(i, items.defaultValue().deepCopy());
        }
        apply(array.get(i), items);
      }
    }
  }

  private static void defaultChild(ObjectNode object, String name, StructuralSchema child) {
    if (child == null) {
      return;
    }
    if (object.get(name).isNull() && !child.nullable()) {
      if (child.defaultValue() == null) {
        object.remove(name);
        return;
      }
      object.set(name, child.defaultValue().deepCopy());
    }
    apply(object.get(name), child);
  }
}
