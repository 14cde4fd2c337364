package dev.hotfix.sandbox.api.patch;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Kubernetes strategic merge patch for built-in kinds, with upstream's merge keys and directives
 * (what {@code kubectl apply}, {@code kubectl set image} and friends send).
 */
public final class StrategicMergePatch {
  private StrategicMergePatch() {
  }

  /** Whether strategic merge patch is defined for this kind (built-in kinds only, as upstream). */
  public static boolean supports(String apiVersion, String kind) {
    return false;
  }

  /**
   * Returns {@code target} with {@code patch} applied; neither argument is modified.
   *
   * @throws IllegalArgumentException when the patch is malformed (answered 400/422 by the front)
   */
  public static JsonNode apply(JsonNode target, JsonNode patch, String apiVersion, String kind) {
    throw new UnsupportedOperationException("strategic merge patch: not yet implemented");
  }
}
