package dev.hotfix.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.policy.IdentityAnnotations;
import dev.hotfix.policy.IdentityProofs;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;

/**
 * {@code /mutate}: on CREATE of a Hotfix, stamps {@code hotfix.dev/requested-by[-groups]}; on
 * CREATE of a HotfixApproval, {@code hotfix.dev/approved-by[-groups]} and the uid of the Hotfix
 * it names: the user the API server authenticated, overwriting whatever the client put there,
 * and the {@link IdentityProofs proof} the operator checks. Everything else passes unchanged.
 */
final class IdentityStamping implements AdmissionControl {
  private final KubernetesClient client;
  private final IdentityProofs proofs;

  IdentityStamping(KubernetesClient client, IdentityProofs proofs) {
    this.client = client;
    this.proofs = proofs;
  }

  @Override
  public AdmissionResponse review(AdmissionRequest r) {
    if (r.is(Hotfix.GROUP, "Hotfix", "CREATE")) {
      return stamp(r, IdentityAnnotations.REQUESTED_BY, IdentityAnnotations.REQUESTED_BY_GROUPS, Optional.empty());
    }
    if (r.is(Hotfix.GROUP, "HotfixApproval", "CREATE")) {
      String hotfix = r.object().path("spec").path("hotfix").asText();
      Hotfix approved;
      try {
        approved = hotfix.isEmpty() ? null
            : client.resources(Hotfix.class).inNamespace(r.namespace()).withName(hotfix).get();
      } catch (KubernetesClientException e) {
        return AdmissionResponse.deny("the hotfix-operator webhook could not read Hotfix " + hotfix + " to bind this "
            + "approval to it (" + e.getMessage() + "): try again; if it persists, check the operator's access");
      }
      // no such Hotfix: /validate refuses the approval with a message that says so
      return stamp(r, IdentityAnnotations.APPROVED_BY, IdentityAnnotations.APPROVED_BY_GROUPS,
          Optional.ofNullable(approved).map(h -> h.getMetadata().getUid()));
    }
    return AdmissionResponse.allow();
  }

  /**
   * One "add" of the whole annotations map: it creates the map when absent and replaces it when
   * present, so the patch applies whatever the client sent (every identity annotation the client
   * set is dropped, e.g. a forged groups value for a user who has none).
   */
  private AdmissionResponse stamp(AdmissionRequest r, String userKey, String groupsKey, Optional<String> hotfixUid) {
    if (r.name().isEmpty()) {
      return AdmissionResponse.deny("set metadata.name: the hotfix-operator webhook binds who created a " + r.kind()
          + " to its name, which generateName only settles after the webhook");
    }
    JsonNode existing = r.object().path("metadata").path("annotations");
    ObjectNode annotations = existing.isObject() ? ((ObjectNode) existing).deepCopy()
        : JsonNodeFactory.instance.objectNode();
    annotations.remove(IdentityAnnotations.ALL);
    annotations.put(userKey, r.user());
    if (!r.groups().isEmpty()) {
      annotations.put(groupsKey, IdentityAnnotations.joinGroups(r.groups()));
    }
    hotfixUid.ifPresent(uid -> annotations.put(IdentityAnnotations.HOTFIX_UID, uid));
    ObjectNode stamped = r.object().deepCopy();
    stamped.withObjectProperty("metadata").set("annotations", annotations);
    annotations.put(IdentityAnnotations.PROOF, proofs.sign(r.namespace(), stamped));
    ArrayNode patch = JsonNodeFactory.instance.arrayNode();
    patch.addObject().put("op", "add").put("path", "/metadata/annotations").set("value", annotations);
    return AdmissionResponse.patch(patch);
  }
}
