package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * The JSONPath subset printer columns use: fields and list indexes, such as
 * {@code .spec.target.name} or {@code .spec.containers[0].image}.
 */
final class SimpleJsonPath {
  private SimpleJsonPath() {
  }

  /** The value at {@code path}, or a missing node. */
  static JsonNode evaluate(JsonNode root, String path) {
    String expression = path.trim();
    if (expression.startsWith("{") && expression.endsWith("}")) {
      expression = expression.substring(1, expression.length() - 1);
    }
    JsonNode node = root;
    int at = expression.startsWith("$") ? 1 : 0;
    while (at < expression.length() && !node.isMissingNode()) {
      char c = expression.charAt(at);
      if (c == '.') {
        int end = at + 1;
        while (end < expression.length() && expression.charAt(end) != '.' && expression.charAt(end) != '[') {
          end++;
        }
        node = node.path(expression.substring(at + 1, end));
        at = end;
      } else if (c == '[') {
        // a bracket may hold a quoted key with dots in it ('app.kubernetes.io/name')
        int close = expression.indexOf(']', at);
        if (close < 0) {
          return MissingNode.getInstance();
        }
        String key = expression.substring(at + 1, close).replace("'", "").replace("\"", "");
        node = !key.isEmpty() && key.chars().allMatch(Character::isDigit) ? node.path(Integer.parseInt(key))
            : node.path(key);
        at = close + 1;
      } else {
        return MissingNode.getInstance();
      }
    }
    return node;
  }
}
