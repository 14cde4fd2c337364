package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Label selectors: in their string form ({@code app=web,tier=front}), as Scale and kubectl show
 * them, and matched against an object's labels (ClusterRole aggregation).
 */
final class LabelSelectors {
  private LabelSelectors() {
  }

  /** The {@code matchLabels} of a selector as a string; empty when there are none. */
  static String format(JsonNode selector) {
    List<String> terms = new ArrayList<>();
    selector.path("matchLabels").properties().forEach(e -> terms.add(e.getKey() + "=" + e.getValue().asText()));
    return String.join(",", terms);
  }

  /**
   * Whether {@code labels} satisfy a {@code LabelSelector}: every matchLabels pair and every
   * matchExpression ({@code In}, {@code NotIn}, {@code Exists}, {@code DoesNotExist}). An empty
   * selector matches everything, as upstream.
   */
  static boolean matches(JsonNode selector, JsonNode labels) {
    for (var label : selector.path("matchLabels").properties()) {
      if (!label.getValue().asText().equals(labels.path(label.getKey()).asText(null))) {
        return false;
      }
    }
    for (JsonNode expression : selector.path("matchExpressions")) {
      String value = labels.path(expression.path("key").asText()).asText(null);
      Set<String> values = Set.copyOf(RbacRule.strings(expression.path("values")));
      boolean holds = switch (expression.path("operator").asText()) {
        case "In" -> value != null && values.contains(value);
        case "NotIn" -> value == null || !values.contains(value);
        case "Exists" -> value != null;
        case "DoesNotExist" -> value == null;
        default -> false;
      };
      if (!holds) {
        return false;
      }
    }
    return true;
  }
}
