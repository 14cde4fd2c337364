package dev.hotfix.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixPolicy;
import dev.hotfix.policy.ApproverList;
import dev.hotfix.policy.Identity;
import dev.hotfix.policy.IdentityAnnotations;
import dev.hotfix.policy.IdentityProofs;
import dev.hotfix.policy.NamespacePolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code /validate}: four eyes and the approvers list at the door. A HotfixApproval is refused
 * when its creator requested the Hotfix, or is not on the namespace policy's approvers list;
 * an update of a Hotfix or HotfixApproval is refused when it changes an identity annotation;
 * a write of their status by anyone but the operator is refused (status is the operator's
 * record). The Hotfix and the policy are read through the client (by name, no cache): a webhook
 * must answer from the current state.
 */
final class IdentityGuard implements AdmissionControl {
  private static final String STATUS = "status";
  private final KubernetesClient client;
  private final IdentityProofs proofs;
  private final String operatorUser;

  /**
   * @param operatorUser the user name the operator writes status as (its ServiceAccount,
   *     {@code system:serviceaccount:NAMESPACE:NAME})
   */
  IdentityGuard(KubernetesClient client, IdentityProofs proofs, String operatorUser) {
    this.client = client;
    this.proofs = proofs;
    this.operatorUser = operatorUser;
  }

  @Override
  public AdmissionResponse review(AdmissionRequest r) {
    if (STATUS.equals(r.subResource()) && Hotfix.GROUP.equals(r.group())) {
      return operatorOnly(r);
    }
    if (r.is(Hotfix.GROUP, "HotfixApproval", "CREATE")) {
      try {
        return approval(r);
      } catch (KubernetesClientException e) {
        return AdmissionResponse.deny("the hotfix-operator webhook could not read the Hotfix or the HotfixPolicy to "
            + "check this approval (" + e.getMessage() + "): try again; if it persists, check the operator's access");
      }
    }
    if (r.is(Hotfix.GROUP, "Hotfix", "UPDATE") || r.is(Hotfix.GROUP, "HotfixApproval", "UPDATE")) {
      return unchangedIdentities(r);
    }
    return AdmissionResponse.allow();
  }

  private AdmissionResponse approval(AdmissionRequest r) {
    String hotfixName = r.object().path("spec").path("hotfix").asText();
    boolean approves = !"Reject".equals(r.object().path("spec").path("decision").asText());
    Hotfix hotfix = client.resources(Hotfix.class).inNamespace(r.namespace()).withName(hotfixName).get();
    if (hotfix == null) {
      return AdmissionResponse.deny("HotfixApproval names Hotfix \"" + hotfixName + "\", which does not exist in "
          + "namespace " + r.namespace() + ": fix spec.hotfix (kubectl get hotfixes -n " + r.namespace() + ")");
    }
    Optional<Identity> requester = IdentityAnnotations.requester(hotfix, proofs);
    if (requester.isPresent() && requester.get().user().equals(r.user())) {
      return AdmissionResponse.deny("four eyes: " + r.user() + " requested Hotfix " + hotfixName + " and cannot "
          + (approves ? "approve it; ask another approver to create the HotfixApproval"
              : "decide on it; to withdraw it, delete the Hotfix"));
    }
    ApproverList approvers = ApproverList.of(NamespacePolicy.read(client, r.namespace()));
    if (!approvers.admits(new Identity(r.user(), r.groups(), true))) {
      return AdmissionResponse.deny(r.user() + " is not on the approvers list of HotfixPolicy "
          + HotfixPolicy.DEFAULT_NAME + " in namespace " + r.namespace() + " (" + approvers + "): ask one of them to "
          + "decide, or ask the policy's owners to add you");
    }
    return AdmissionResponse.allow();
  }

  private AdmissionResponse operatorOnly(AdmissionRequest r) {
    if (operatorUser.equals(r.user())) {
      return AdmissionResponse.allow();
    }
    String what = "Hotfix".equals(r.kind())
        ? "to roll back, set spec.abort: true (kubectl hotfix rollback); to approve, create a HotfixApproval"
        : "to change a decision, create a new HotfixApproval";
    return AdmissionResponse.deny("the status of " + r.kind() + " " + r.name() + " is written by the hotfix-operator "
        + "(" + operatorUser + ") alone, not by " + r.user() + ": " + what);
  }

  private static AdmissionResponse unchangedIdentities(AdmissionRequest r) {
    List<String> changed = IdentityAnnotations.ALL.stream()
        .filter(key -> !Objects.equals(annotation(r.oldObject(), key), annotation(r.object(), key)))
        .toList();
    if (changed.isEmpty()) {
      return AdmissionResponse.allow();
    }
    return AdmissionResponse.deny("the annotation" + (changed.size() == 1 ? " " : "s ") + String.join(", ", changed)
        + " of " + r.kind() + " " + r.object().path("metadata").path("name").asText() + " record"
        + (changed.size() == 1 ? "s" : "") + " who created it, stamped by the admission webhook, and cannot be "
        + "changed or removed: leave them as they are");
  }

  private static String annotation(JsonNode object, String key) {
    JsonNode v = object.path("metadata").path("annotations").get(key);
    return v == null || v.isNull() ? null : v.asText();
  }
}
