package dev.hotfix.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.policy.IdentityAnnotations;

/**
 * {@code /mutate}: on CREATE of a Hotfix, stamps {@code hotfix.dev/requested-by[-groups]}; on
 * CREATE of a HotfixApproval, {@code hotfix.dev/approved-by[-groups]}: the user the API server
 * authenticated, overwriting whatever the client put there. Everything else passes unchanged.
 */
final class IdentityStamping implements AdmissionControl {

  @Override
  public AdmissionResponse review(AdmissionRequest r) {
    if (r.is(Hotfix.GROUP, "Hotfix", "CREATE")) {
      return stamp(r, IdentityAnnotations.REQUESTED_BY, IdentityAnnotations.REQUESTED_BY_GROUPS);
    }
    if (r.is(Hotfix.GROUP, "HotfixApproval", "CREATE")) {
      return stamp(r, IdentityAnnotations.APPROVED_BY, IdentityAnnotations.APPROVED_BY_GROUPS);
    }
    return AdmissionResponse.allow();
  }

  /**
   * One "add" of the whole annotations map: it creates the map when absent and replaces it when
   * present, so the patch applies whatever the client sent (including a forged groups value
   * for a user who has none, which is dropped).
   */
  private static AdmissionResponse stamp(AdmissionRequest r, String userKey, String groupsKey) {
    JsonNode existing = r.object().path("metadata").path("annotations");
    ObjectNode annotations = existing.isObject() ? ((ObjectNode) existing).deepCopy()
        : JsonNodeFactory.instance.objectNode();
    annotations.remove(userKey);
    annotations.remove(groupsKey);
    annotations.put(userKey, r.user());
    if (!r.groups().isEmpty()) {
      annotations.put(groupsKey, IdentityAnnotations.joinGroups(r.groups()));
    }
    ArrayNode patch = JsonNodeFactory.instance.arrayNode();
    patch.addObject().put("op", "add").put("path", "/metadata/annotations").set("value", annotations);
    return AdmissionResponse.patch(patch);
  }
}
