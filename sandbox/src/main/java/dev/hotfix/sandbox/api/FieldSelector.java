package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * A {@code fieldSelector} ({@code involvedObject.name=web,type!=Normal}), evaluated by the front.
 * The store only knows {@code metadata.name} and {@code metadata.namespace}; any other field
 * matched nothing there, so {@code kubectl describe} found no Events and
 * {@code --field-selector status.phase=Running} no pods. Those two stay with the store (it
 * narrows watches by name); every requirement is checked here.
 */
final class FieldSelector {
  private static final List<String> STORE_FIELDS = List.of("metadata.name", "metadata.namespace");

  private record Requirement(String field, String value, boolean equal) {
  }

  private final List<Requirement> requirements;

  private FieldSelector(List<Requirement> requirements) {
    this.requirements = requirements;
  }

  /**
   * @param selector the query parameter; null or empty selects everything
   * @throws ApiError 400 for a requirement that is not {@code field=value}, {@code ==} or {@code !=}
   */
  static FieldSelector parse(String selector) {
    List<Requirement> requirements = new ArrayList<>();
    if (selector != null && !selector.isBlank()) {
      for (String term : selector.split(",")) {
        int notEqual = term.indexOf("!=");
        int equal = term.indexOf('=');
        if (notEqual > 0) {
          String value = term.substring(notEqual + 2).trim();
          requirements.add(new Requirement(term.substring(0, notEqual).trim(), value, false));
        } else if (equal > 0) {
          String value = term.substring(equal + 1).replaceFirst("^=", "").trim();
          requirements.add(new Requirement(term.substring(0, equal).trim(), value, true));
        } else {
          throw ApiError.badRequest("invalid field selector requirement: \"" + term + "\"");
        }
      }
    }
    return new FieldSelector(List.copyOf(requirements));
  }

  /** Whether an object meets every requirement (a missing field counts as the empty string, as upstream). */
  boolean matches(JsonNode object) {
    for (Requirement requirement : requirements) {
      JsonNode value = SimpleJsonPath.evaluate(object, "." + requirement.field());
      String actual = value.isValueNode() ? value.asText() : "";
      if (actual.equals(requirement.value()) != requirement.equal()) {
        return false;
      }
    }
    return true;
  }

  /** The requirements the store can evaluate itself, as its query value ("" when none). */
  String forStore() {
    StringJoiner terms = new StringJoiner(",");
    requirements.stream().filter(r -> r.equal() && STORE_FIELDS.contains(r.field()))
        .forEach(r -> terms.add(r.field() + "=" + r.value()));
    return terms.toString();
  }
}
