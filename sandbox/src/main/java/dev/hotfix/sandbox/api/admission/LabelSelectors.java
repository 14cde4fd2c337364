package dev.hotfix.sandbox.api.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code metav1.LabelSelector} semantics (matchLabels and the four matchExpressions operators),
 * and the Go renderings upstream's validation messages print for selectors and label maps.
 */
public final class LabelSelectors {
  private LabelSelectors() {
  }

  /** An empty selector selects nothing for a workload; upstream refuses it. */
  public static boolean isEmpty(JsonNode selector) {
    return selector.path("matchLabels").isEmpty() && selector.path("matchExpressions").isEmpty();
  }

  public static boolean matches(JsonNode selector, JsonNode labels) {
    for (var label : selector.path("matchLabels").properties()) {
      if (!labels.path(label.getKey()).isTextual() || !labels.path(label.getKey()).asText().equals(label.getValue().asText())) {
        return false;
      }
    }
    for (JsonNode expression : selector.path("matchExpressions")) {
      JsonNode value = labels.get(expression.path("key").asText());
      boolean present = value != null && !value.isNull();
      boolean listed = present && contains(expression.path("values"), value.asText());
      boolean ok = switch (expression.path("operator").asText()) {
        case "In" -> listed;
        case "NotIn" -> !listed;
        case "Exists" -> present;
        case "DoesNotExist" -> !present;
        default -> false;
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** A label map as Go's {@code %#v} prints it: {@code map[string]string{"app":"web"}}, keys sorted. */
  static String goMap(JsonNode labels) {
    if (labels == null || labels.isMissingNode() || labels.isNull()) {
      return "map[string]string(nil)";
    }
    List<String> keys = new ArrayList<>();
    labels.fieldNames().forEachRemaining(keys::add);
    return keys.stream().sorted()
        .map(key -> FieldErrors.quote(key) + ":" + FieldErrors.quote(labels.get(key).asText()))
        .collect(Collectors.joining(", ", "map[string]string{", "}"));
  }

  /** An empty selector as Go's {@code %#v} prints the pointer upstream reports. */
  static String goEmptySelector(JsonNode selector) {
    String matchLabels = selector.has("matchLabels") ? "map[string]string{}" : "map[string]string(nil)";
    String expressions = selector.has("matchExpressions")
        ? "[]v1.LabelSelectorRequirement{}" : "[]v1.LabelSelectorRequirement(nil)";
    return "&v1.LabelSelector{MatchLabels:" + matchLabels + ", MatchExpressions:" + expressions + "}";
  }

  private static boolean contains(JsonNode values, String value) {
    for (JsonNode candidate : values) {
      if (candidate.asText().equals(value)) {
        return true;
      }
    }
    return false;
  }
}
