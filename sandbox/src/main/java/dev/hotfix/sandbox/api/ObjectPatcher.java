package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotfix.sandbox.api.patch.JsonMergePatch;
import dev.hotfix.sandbox.api.patch.StrategicMergePatch;
import io.fabric8.zjsonpatch.CompatibilityFlags;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.util.EnumSet;
import java.util.Locale;

/**
 * Computes the object a PATCH asks for, by the request's media type, as the real API server does:
 * JSON patch (RFC 6902), JSON merge patch (RFC 7386, lists replaced), strategic merge patch for
 * the built-in kinds that define it. Server-side apply is refused with a message that says what
 * to use instead.
 */
public final class ObjectPatcher {
  static final String JSON_PATCH = "application/json-patch+json";
  static final String MERGE_PATCH = "application/merge-patch+json";
  static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
  static final String APPLY_PATCH = "application/apply-patch+yaml";

  private static final String UNKNOWN_FORMAT = "the body of the request was in an unknown format - accepted media "
      + "types include: " + JSON_PATCH + ", " + MERGE_PATCH + ", " + APPLY_PATCH;

  /**
   * RFC 6902 as upstream's json-patch library applies it: removing a path that does not exist
   * fails, as does a failed test, a replace of a missing path and an out-of-range index.
   */
  private static final EnumSet<CompatibilityFlags> JSON_PATCH_AS_UPSTREAM =
      EnumSet.of(CompatibilityFlags.FORBID_REMOVE_MISSING_OBJECT);

  private ObjectPatcher() {
  }

  /**
   * Refuses a media type the sandbox cannot apply to this kind, before anything is read (a
   * server-side apply of a new object is refused as such, not as NotFound).
   *
   * @throws ApiError 415 with upstream's message, or the sandbox's own for server-side apply
   */
  public static void checkMediaType(String contentType, String apiVersion, String kind) {
    switch (mediaType(contentType)) {
      case JSON_PATCH, MERGE_PATCH:
        return;
      case STRATEGIC_MERGE_PATCH:
        if (StrategicMergePatch.supports(apiVersion, kind)) {
          return;
        }
        throw ApiError.unsupportedMediaType(UNKNOWN_FORMAT);
      case APPLY_PATCH:
        throw ApiError.unsupportedMediaType("the hotfix sandbox does not support server-side apply: use client-side "
            + "'kubectl apply' (without --server-side), or a JSON patch / JSON merge patch");
      default:
        throw ApiError.unsupportedMediaType(UNKNOWN_FORMAT);
    }
  }

  /**
   * @param stored the object as stored (not modified)
   * @param contentType the request's {@code Content-Type}
   * @param body the request body
   * @param apiVersion the stored object's apiVersion (strategic merge patch depends on the kind)
   * @param kind the stored object's kind
   * @return the patched object
   * @throws ApiError 415 for an unsupported media type, 400 for a malformed patch, 422 when a
   *     JSON patch cannot be applied
   */
  public static JsonNode apply(JsonNode stored, String contentType, String body, String apiVersion, String kind) {
    checkMediaType(contentType, apiVersion, kind);
    JsonNode patch = RequestBodies.json(body);
    switch (mediaType(contentType)) {
      case JSON_PATCH:
        try {
          return JsonPatch.apply(patch, stored, JSON_PATCH_AS_UPSTREAM);
        } catch (JsonPatchException e) {
          throw ApiError.jsonPatchNotApplied(e.getMessage());
        }
      case MERGE_PATCH:
        return JsonMergePatch.apply(stored, patch);
      default:
        try {
          return StrategicMergePatch.apply(stored, patch, apiVersion, kind);
        } catch (IllegalArgumentException e) {
          throw ApiError.badRequest(e.getMessage());
        }
    }
  }

  private static String mediaType(String contentType) {
    return contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
  }
}
