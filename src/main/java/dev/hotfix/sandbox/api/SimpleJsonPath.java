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
    for (String step : expression.replaceAll("^\\$", "").split("\\.")) {
      if (step.isEmpty()) {
        continue;
      }
      int bracket = step.indexOf('[');
      String field = bracket < 0 ? step : step.substring(0, bracket);
      if (!field.isEmpty()) {
        node = node.path(field);
      }
      while (bracket >= 0) {
        int close = step.indexOf(']', bracket);
        if (close < 0) {
          return MissingNode.getInstance();
        }
        String index = step.substring(bracket + 1, close).replace("'", "").replace("\"", "");
        node = index.chars().allMatch(Character::isDigit) ? node.path(Integer.parseInt(index)) : node.path(index);
        bracket = step.indexOf('[', close);
      }
    }
    return node;
  }
}
