package dev.hotfix.sandbox.api;

/**
 * One field error of a 422 {@code Invalid} answer, shaped as the real API server's
 * {@code StatusCause}: kubectl prints {@code field: message}.
 *
 * @param reason a Kubernetes cause type: {@code FieldValueRequired}, {@code FieldValueInvalid},
 *     {@code FieldValueNotSupported}, {@code FieldValueForbidden}, {@code FieldValueTooLong},
 *     {@code FieldValueTypeInvalid}, {@code FieldValueDuplicate}, {@code FieldValueUnknown}
 * @param field the JSON path as the API server writes it, e.g. {@code spec.containers[0].image}
 * @param message what is wrong, e.g. {@code Unsupported value: "Urgent": supported values: "Trivial", "Minor"}
 */
public record FieldError(String reason, String field, String message) {

  @Override
  public String toString() {
    return field + ": " + message;
  }
}
