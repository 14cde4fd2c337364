package dev.hotfix.sandbox.api.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.values.NullValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON values as CEL sees them in a validation rule: objects become maps, arrays lists, integers
 * {@code int} (long), other numbers and fields the schema types {@code number} become
 * {@code double}; an int-or-string stays whichever it is (CEL {@code dyn}).
 */
final class CelValues {
  private CelValues() {
  }

  static Object of(JsonNode value, StructuralSchema schema) {
    if (value == null || value.isNull()) {
      return NullValue.NULL_VALUE;
    }
    if (value.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      value.properties().forEach(field -> map.put(field.getKey(),
          of(field.getValue(), childSchema(schema, field.getKey()))));
      return map;
    }
    if (value.isArray()) {
      StructuralSchema items = schema == null ? null : schema.items();
      List<Object> list = new ArrayList<>(value.size());
      value.forEach(element -> list.add(of(element, items)));
      return list;
    }
    if (value.isIntegralNumber() && !(schema != null && "number".equals(schema.type()))) {
      return value.asLong();
    }
    if (value.isNumber()) {
      return value.asDouble();
    }
    return value.isBoolean() ? (Object) value.asBoolean() : value.asText();
  }

  private static StructuralSchema childSchema(StructuralSchema schema, String name) {
    if (schema == null) {
      return null;
    }
    StructuralSchema property = schema.property(name);
    return property != null ? property : schema.additionalProperties();
  }
}
