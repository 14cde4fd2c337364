package dev.hotfix.sandbox.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The order of a merged list, as upstream computes it: elements the patch names (in
 * {@code $setElementOrder/<list>}, or else in the patch list itself) take the patch's order;
 * elements only the server has keep their original order and are interleaved by their original
 * positions. This is what keeps {@code kubectl apply}'s container order stable.
 */
final class ElementOrder {
  private ElementOrder() {
  }

  static List<JsonNode> arrange(List<JsonNode> merged, List<JsonNode> patchOrder, List<JsonNode> serverOrder,
      ElementIdentity identity) {
    Map<String, Integer> patchIndex = indexes(patchOrder, identity);
    Map<String, Integer> serverIndex = indexes(serverOrder, identity);
    List<JsonNode> patchItems = new ArrayList<>();
    List<JsonNode> serverOnly = new ArrayList<>();
    for (JsonNode element : merged) {
      (patchIndex.containsKey(identity.of(element)) ? patchItems : serverOnly).add(element);
    }
    patchItems.sort(Comparator.comparingInt(e -> patchIndex.get(identity.of(e))));
    serverOnly.sort(Comparator.comparingInt(e -> serverIndex.getOrDefault(identity.of(e), Integer.MAX_VALUE)));

    // Merge the two sorted runs; a server-only element goes first when the original list had it
    // before the patch element (both must be known to the server to be compared).
    List<JsonNode> result = new ArrayList<>(merged.size());
    int left = 0;
    int right = 0;
    while (left < serverOnly.size() || right < patchItems.size()) {
      if (right >= patchItems.size()) {
        result.add(serverOnly.get(left++));
      } else if (left >= serverOnly.size()) {
        result.add(patchItems.get(right++));
      } else {
        Integer l = serverIndex.get(identity.of(serverOnly.get(left)));
        Integer r = serverIndex.get(identity.of(patchItems.get(right)));
        if (l != null && r != null && l < r) {
          result.add(serverOnly.get(left++));
        } else {
          result.add(patchItems.get(right++));
        }
      }
    }
    return result;
  }

  private static Map<String, Integer> indexes(List<JsonNode> elements, ElementIdentity identity) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < elements.size(); i++) {
      index.putIfAbsent(identity.of(elements.get(i)), i);
    }
    return index;
  }
}
