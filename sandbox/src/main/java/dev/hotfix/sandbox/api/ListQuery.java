package dev.hotfix.sandbox.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The list and watch query parameters upstream's {@code ValidateListOptions} refuses together,
 * refused the same way: 422 {@code Invalid} naming each parameter to fix.
 */
final class ListQuery {
  private static final String NOT_OLDER_THAN = "NotOlderThan";

  private ListQuery() {
  }

  /**
   * Checks a watch's parameters; returns whether it asks for the initial events
   * ({@code sendInitialEvents=true}, which needs {@code resourceVersionMatch=NotOlderThan} and
   * {@code allowWatchBookmarks=true}).
   */
  static boolean checkWatch(Map<String, String> query) {
    List<String> errors = new ArrayList<>();
    String sendInitialEvents = query.get("sendInitialEvents");
    String match = query.get("resourceVersionMatch");
    if (sendInitialEvents != null) {
      if (!NOT_OLDER_THAN.equals(match)) {
        errors.add("resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to "
            + NOT_OLDER_THAN);
      }
      if (!"true".equals(query.get("allowWatchBookmarks"))) {
        errors.add("allowWatchBookmarks: Forbidden: sendInitialEvents requires setting allowWatchBookmarks to true");
      }
    }
    if (match != null && !match.isEmpty()) {
      if (sendInitialEvents == null) {
        errors.add("resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless"
            + " sendInitialEvents is provided");
      }
      if (!NOT_OLDER_THAN.equals(match)) {
        errors.add("resourceVersionMatch: Unsupported value: \"" + match + "\": supported values: \""
            + NOT_OLDER_THAN + "\"");
      }
    }
    refuseIfAny(errors);
    return "true".equals(sendInitialEvents);
  }

  /** Checks a list's parameters. */
  static void checkList(Map<String, String> query) {
    List<String> errors = new ArrayList<>();
    String match = query.get("resourceVersionMatch");
    if (match != null && !match.isEmpty()) {
      if (isEmpty(query.get("resourceVersion"))) {
        errors.add("resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is"
            + " provided");
      }
      if (!isEmpty(query.get("continue"))) {
        errors.add("resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided");
      }
    }
    if (query.get("sendInitialEvents") != null) {
      errors.add("sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list");
    }
    refuseIfAny(errors);
  }

  private static boolean isEmpty(String value) {
    return value == null || value.isEmpty();
  }

  private static void refuseIfAny(List<String> errors) {
    if (errors.isEmpty()) {
      return;
    }
    String listed = errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]";
    throw ApiError.of(422, "Invalid", "ListOptions.meta.k8s.io \"\" is invalid: " + listed);
  }
}
