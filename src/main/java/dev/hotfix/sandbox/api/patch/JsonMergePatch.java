package dev.hotfix.sandbox.api.patch;

import com.fasterxml.jackson.databind.JsonNode;

/** RFC 7386 JSON merge patch (the mock server's own merge appends to lists). */
public final class JsonMergePatch {
  private JsonMergePatch() {
  }

  /** Returns {@code target} with {@code patch} merged in; neither argument is modified. */
  public static JsonNode apply(JsonNode target, JsonNode patch) {
    throw new UnsupportedOperationException("JSON merge patch: not yet implemented");
  }
}
