package dev.hotfix.sandbox.api.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotfix.sandbox.api.FieldError;
import java.util.List;
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

  /** A value as Go's {@code %v}/{@code %q} print it in a field error. */
  static String render(JsonNode value) {
    if (value == null || value.isNull()) {
      return "null";
    }
    if (value.isTextual()) {
      return quote(value.asText());
    }
    if (value.isObject()) {
      return quote("object");
    }
    if (value.isArray()) {
      return quote("array");
    }
    return value.asText();
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
