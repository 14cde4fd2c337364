package dev.hotfix.sandbox.api.patch;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What identifies an element of a merged list: the value of its merge key for a list of maps,
 * the value itself for a list of primitives. Numbers compare by value, so {@code 80} and
 * {@code 80.0} name the same container port.
 */
final class ElementIdentity {
  private final String list;
  private final String mergeKey;

  private ElementIdentity(String list, String mergeKey) {
    this.list = list;
    this.mergeKey = mergeKey;
  }

  /** Identity for the elements of {@code list}; {@code mergeKey} is null for primitives. */
  static ElementIdentity of(String list, String mergeKey) {
    return new ElementIdentity(list, mergeKey);
  }

  /** The identity of an element; empty for a map that lacks the merge key. */
  String of(JsonNode element) {
    JsonNode value = mergeKey == null ? element : element.get(mergeKey);
    return value == null ? "" : canonical(value);
  }

  /** The identity of a patch element, which must carry the merge key. */
  String required(JsonNode element) {
    JsonNode value = element.get(mergeKey);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("map: " + element + " does not contain declared merge key: " + mergeKey
          + " (list " + list + ")");
    }
    return canonical(value);
  }

  private static String canonical(JsonNode value) {
    return value.isNumber() ? value.decimalValue().stripTrailingZeros().toPlainString() : value.toString();
  }
}
