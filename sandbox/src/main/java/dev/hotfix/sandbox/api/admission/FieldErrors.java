package dev.hotfix.sandbox.api.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotfix.sandbox.api.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Upstream's field error constructors (k8s.io/apimachinery/pkg/util/validation/field): the same
 * reasons and the same message text, so that kubectl prints what a real cluster prints. Values
 * are rendered as Go does: strings quoted, numbers and booleans bare.
 */
final class FieldErrors {
  private FieldErrors() {
  }

  /** {@code spec.reason: Required value}, with an optional detail. */
  static FieldError required(String field, String detail) {
    return new FieldError("FieldValueRequired", field, withDetail("Required value", detail));
  }

  /** {@code spec.x: Invalid value: "v": detail}. */
  static FieldError invalid(String field, JsonNode value, String detail) {
    return invalidRendered(field, render(value), detail);
  }

  /** An invalid value whose display is given as a string (CEL errors show the schema type). */
  static FieldError invalidType(String field, String typeName, String detail) {
    return invalidRendered(field, quote(typeName), detail);
  }

  /** {@code spec.x: Unsupported value: "v": supported values: "a", "b"}. */
  static FieldError notSupported(String field, JsonNode value, List<JsonNode> supported) {
    String values = supported.stream().map(v -> quote(v.isTextual() ? v.asText() : v.toString()))
        .collect(Collectors.joining(", "));
    return new FieldError("FieldValueNotSupported", field,
        "Unsupported value: " + render(value) + ": supported values: " + values);
  }

  /** {@code spec.reason: Too long: may not be more than 1024 bytes}. */
  static FieldError tooLong(String field, long max) {
    return new FieldError("FieldValueTooLong", field, "Too long: may not be more than " + max + " bytes");
  }

  /** {@code spec.list: Too many: 5: must have at most 3 items}. */
  static FieldError tooMany(String field, long actual, long max) {
    return new FieldError("FieldValueTooMany", field, "Too many: " + actual + ": must have at most " + max + " items");
  }

  /** {@code spec.x: Invalid value: "string": spec.x in body must be of type integer: "string"}. */
  static FieldError typeInvalid(String field, String actualType, String expectedType) {
    return new FieldError("FieldValueTypeInvalid", field, "Invalid value: " + quote(actualType) + ": " + field
        + " in body must be of type " + expectedType + ": " + quote(actualType));
  }

  /** {@code spec.x: Forbidden: detail}. */
  static FieldError forbidden(String field, String detail) {
    return new FieldError("FieldValueForbidden", field, withDetail("Forbidden", detail));
  }

  /** {@code spec.x: Duplicate value: "v"}. */
  static FieldError duplicate(String field, JsonNode value) {
    return new FieldError("FieldValueDuplicate", field, "Duplicate value: " + render(value));
  }

  /** An invalid value already rendered as upstream prints it (Go structs and maps). */
  static FieldError invalidRendered(String field, String renderedValue, String detail) {
    return new FieldError("FieldValueInvalid", field, withDetail("Invalid value: " + renderedValue, detail));
  }

  private static String withDetail(String summary, String detail) {
    return detail == null || detail.isEmpty() ? summary : summary + ": " + detail;
  }

  /**
   * A value as upstream's field errors print it: strings quoted, numbers and booleans bare, and
   * lists and maps (unstructured JSON in Go) as Go's {@code %#v} prints them.
   */
  static String render(JsonNode value) {
    if (value == null || value.isNull()) {
      return "<nil>";
    }
    return value.isTextual() ? quote(value.asText()) : value.isContainerNode() ? goSyntax(value) : value.asText();
  }

  private static String goSyntax(JsonNode value) {
    if (value == null || value.isNull()) {
      return "interface {}(nil)";
    }
    if (value.isArray()) {
      List<String> elements = new ArrayList<>();
      value.forEach(element -> elements.add(goSyntax(element)));
      return "[]interface {}{" + String.join(", ", elements) + "}";
    }
    if (value.isObject()) {
      return new TreeSet<>(JsonValues.fieldNames((ObjectNode) value))
          .stream().map(key -> quote(key) + ":" + goSyntax(value.get(key)))
          .collect(Collectors.joining(", ", "map[string]interface {}{", "}"));
    }
    return value.isTextual() ? quote(value.asText()) : value.asText();
  }

  /** Go's {@code strconv.Quote} for the characters that occur in field values. */
  static String quote(String text) {
    StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> quoted.append("\\\"");
        case '\\' -> quoted.append("\\\\");
        case '\n' -> quoted.append("\\n");
        case '\t' -> quoted.append("\\t");
        case '\r' -> quoted.append("\\r");
        default -> quoted.append(c < 0x20 ? String.format("\\x%02x", (int) c) : String.valueOf(c));
      }
    }
    return quoted.append('"').toString();
  }
}
