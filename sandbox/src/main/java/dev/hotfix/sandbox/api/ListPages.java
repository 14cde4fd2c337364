package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Lists in pages, as upstream's storage serves {@code limit} and {@code continue}: items in key
 * order (namespace, then name), at most {@code limit} of them, a {@code continue} token naming the
 * list's resourceVersion and the key to start after (upstream's format: base64 of
 * {@code {"v":"meta.k8s.io/v1","rv":N,"start":"KEY\u0000"}}), and {@code remainingItemCount} when
 * no selector filtered the list. A token whose list is older than the watch cache window stands
 * for one etcd has compacted away: 410 with a token that goes on from the same key.
 *
 * <p>Unlike upstream, later pages read the current state, not the first page's snapshot; they
 * carry the first page's resourceVersion, so a client watching from it is told of every change
 * since (a change it already saw arrives once more).
 */
final class ListPages {
  private static final String TOKEN_VERSION = "meta.k8s.io/v1";
  /** Upstream's resourceVersion in a token that continues from the latest state. */
  private static final long LATEST = -1;

  /** One page: its items, the list's resourceVersion, the token for the next page and how many follow. */
  record Page(List<ObjectNode> items, String resourceVersion, String continueToken, Long remainingItemCount) {

    /** Sets resourceVersion, continue and remainingItemCount on a list's {@code metadata}. */
    void describeIn(ObjectNode metadata) {
      metadata.put("resourceVersion", resourceVersion);
      if (continueToken != null) {
        metadata.put("continue", continueToken);
      }
      if (remainingItemCount != null) {
        metadata.put("remainingItemCount", remainingItemCount);
      }
    }
  }

  private ListPages() {
  }

  /**
   * The page {@code query} asks for.
   *
   * @param items the selected objects, in any order
   * @param listVersion the store's resourceVersion when they were read
   * @param key each object's key within the list (name, or namespace/name across namespaces)
   * @param selected whether a label or field selector chose the items
   */
  static Page page(List<ObjectNode> items, Map<String, String> query, String listVersion,
      Function<ObjectNode, String> key, boolean selected, WatchWindow window) {
    String token = query.get("continue");
    String version = listVersion;
    String startAfter = null;
    if (token != null && !token.isEmpty()) {
      String resourceVersion = query.get("resourceVersion");
      if (resourceVersion != null && !resourceVersion.isEmpty() && !resourceVersion.equals("0")) {
        throw ApiError.badRequest("specifying resource version is not allowed when using continue");
      }
      Continue from = Continue.decode(token);
      if (from.version() != LATEST && !window.covers(from.version())) {
        throw ApiError.continueExpired(new Continue(LATEST, from.start()).encode());
      }
      version = from.version() == LATEST ? listVersion : Long.toString(from.version());
      startAfter = from.start();
    }
    String after = startAfter;
    List<ObjectNode> ordered = items.stream()
        .filter(item -> after == null || key.apply(item).compareTo(after) > 0)
        .sorted(Comparator.comparing(key))
        .toList();
    long limit = limit(query.get("limit"));
    if (limit <= 0 || ordered.size() <= limit) {
      return new Page(ordered, version, null, null);
    }
    List<ObjectNode> page = ordered.subList(0, (int) limit);
    String next = new Continue(Long.parseLong(version), key.apply(page.get(page.size() - 1)) + "\u0000").encode();
    return new Page(page, version, next, selected ? null : (long) (ordered.size() - limit));
  }

  private static long limit(String value) {
    if (value == null || value.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("limit: invalid value \"" + value + "\": must be an integer");
    }
  }

  /** A continue token's content. */
  private record Continue(long version, String start) {

    String encode() {
      ObjectNode json = CrudStore.JSON.createObjectNode().put("v", TOKEN_VERSION).put("rv", version)
          .put("start", start);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
    }

    static Continue decode(String token) {
      JsonNode json;
      try {
        json = CrudStore.JSON.readTree(Base64.getUrlDecoder().decode(token));
      } catch (IllegalArgumentException | IOException e) {
        throw invalid("continue key is not valid: " + e.getMessage());
      }
      if (json == null || !TOKEN_VERSION.equals(json.path("v").asText())) {
        throw invalid("continue key is not valid: server does not recognize this encoded version");
      }
      long version = json.path("rv").asLong(0);
      if (version == 0) {
        throw invalid("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
      }
      String start = json.path("start").asText("");
      if (start.isEmpty()) {
        throw invalid("continue key is not valid: encoded start key empty");
      }
      return new Continue(version, start);
    }

    private static ApiError invalid(String why) {
      return ApiError.badRequest("invalid continue token: " + why);
    }
  }
}
