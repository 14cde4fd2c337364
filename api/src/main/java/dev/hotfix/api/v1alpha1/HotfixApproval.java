package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One person's sign-off on (or rejection of) one Hotfix in the same namespace. */
@Group(Hotfix.GROUP)
@Version(Hotfix.VERSION)
@Plural("hotfixapprovals")
@ShortNames("hfa")
@AdditionalPrinterColumn(name = "HOTFIX", jsonPath = ".spec.hotfix", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "DECISION", jsonPath = ".spec.decision", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "APPROVER", jsonPath = ".status.approver", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class HotfixApproval extends CustomResource<HotfixApprovalSpec, HotfixApprovalStatus> implements Namespaced {

  @Override
  @JsonPropertyDescription("The decision: which Hotfix, Approve or Reject, and why. Immutable.")
  public HotfixApprovalSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Who made the decision and whether it counted. Written by the operator only.")
  public HotfixApprovalStatus getStatus() {
    return super.getStatus();
  }
}
