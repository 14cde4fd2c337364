package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One write as admission sees it (upstream's {@code admission.Attributes}): what is done to which
 * resource, by whom, with the stored and the requested object. Equal attributes describe the same
 * write, which is how a decision taken outside the pipeline's lock is recognised inside it.
 *
 * @param operation {@code CREATE}, {@code UPDATE} or {@code DELETE}
 * @param type the resource's type
 * @param ref the addressed object, with its subresource ({@code status}, {@code scale}) if any
 * @param oldObject the stored object (null on create)
 * @param object the whole object as it would be stored, before admission (null on delete);
 *     for a {@code scale} write, the workload with the new replicas
 * @param user who is asking
 * @param options the write's query options (dry run, field validation)
 */
public record AdmissionAttributes(String operation, ResourceType type, ResourceRef ref, JsonNode oldObject,
    JsonNode object, UserInfo user, WriteOptions options) {
  public static final String CREATE = "CREATE";
  public static final String UPDATE = "UPDATE";
  public static final String DELETE = "DELETE";

  /** The same write with another requested object (after a mutating webhook's patch). */
  AdmissionAttributes withObject(JsonNode mutated) {
    return new AdmissionAttributes(operation, type, ref, oldObject, mutated, user, options);
  }

  /** A private copy, so later changes to the caller's objects cannot alter it. */
  AdmissionAttributes copy() {
    return new AdmissionAttributes(operation, type, ref, oldObject == null ? null : oldObject.deepCopy(),
        object == null ? null : object.deepCopy(), user, options);
  }

  /** Whether the write addresses the {@code scale} subresource (webhooks see a Scale, not the workload). */
  boolean isScale() {
    return "scale".equals(ref.subresource());
  }
}
