package dev.hotfix.sandbox.api;

import java.util.List;

/**
 * An object refused at admission. The API front turns it into the real API server's answer:
 * 422 {@code Invalid} with one cause per field error, or 400 {@code BadRequest} for a strict
 * decoding error (unknown fields under {@code fieldValidation=Strict}).
 */
public final class InvalidObjectException extends Exception {
  private final int code;
  private final String kind;
  private final String group;
  private final String name;
  private final List<FieldError> errors;

  public InvalidObjectException(int code, String kind, String group, String name, List<FieldError> errors,
      String message) {
    super(message);
    this.code = code;
    this.kind = kind;
    this.group = group;
    this.name = name;
    this.errors = List.copyOf(errors);
  }

  /** 422 Invalid, with the message kubectl shows: {@code Hotfix.hotfix.dev "x" is invalid: a: b, c: d}. */
  public static InvalidObjectException invalid(String kind, String group, String name, List<FieldError> errors) {
    String qualified = group == null || group.isEmpty() ? kind : kind + "." + group;
    StringBuilder msg = new StringBuilder(qualified).append(" \"").append(name).append("\" is invalid: ");
    if (errors.size() == 1) {
      msg.append(errors.get(0));
    } else {
      msg.append('[');
      for (int i = 0; i < errors.size(); i++) {
        msg.append(i == 0 ? "" : ", ").append(errors.get(i));
      }
      msg.append(']');
    }
    return new InvalidObjectException(422, kind, group, name, errors, msg.toString());
  }

  public int code() {
    return code;
  }

  public String kind() {
    return kind;
  }

  public String group() {
    return group;
  }

  public String name() {
    return name;
  }

  public List<FieldError> errors() {
    return errors;
  }
}
