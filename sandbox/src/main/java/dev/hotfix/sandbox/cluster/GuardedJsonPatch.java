package dev.hotfix.sandbox.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An RFC 6902 JSON Patch that changes only the fields a controller owns and carries the
 * resourceVersion it read, so the API server answers 409 if the object moved on meanwhile
 * (optimistic concurrency without rewriting, and so clobbering, the rest of the object; the
 * mock's merge patch would append to lists and its PUT would overwrite status).
 */
final class GuardedJsonPatch {

  private final List<Map<String, Object>> operations = new ArrayList<>();

  private GuardedJsonPatch(String resourceVersion) {
    set("/metadata/resourceVersion", resourceVersion);
  }

  /** A patch that applies only to the version of {@code obj} the caller read. */
  static GuardedJsonPatch against(HasMetadata obj) {
    return new GuardedJsonPatch(obj.getMetadata().getResourceVersion());
  }

  /**
   * Sets the value at a JSON pointer; the parent must exist, so callers set whole maps (such as
   * all annotations) rather than one key of a map that may be missing.
   */
  GuardedJsonPatch set(String pointer, Object value) {
    Map<String, Object> op = new LinkedHashMap<>();
    op.put("op", "add");
    op.put("path", pointer);
    op.put("value", value);
    operations.add(op);
    return this;
  }

  /** The patch document. */
  String toJson() {
    return Serialization.asJson(operations);
  }
}
