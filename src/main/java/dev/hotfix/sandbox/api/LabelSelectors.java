package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Label selectors in their string form ({@code app=web,tier=front}), as Scale and kubectl show them. */
final class LabelSelectors {
  private LabelSelectors() {
  }

  /** The {@code matchLabels} of a selector as a string; empty when there are none. */
  static String format(JsonNode selector) {
    List<String> terms = new ArrayList<>();
    selector.path("matchLabels").properties().forEach(e -> terms.add(e.getKey() + "=" + e.getValue().asText()));
    return String.join(",", terms);
  }
}
