package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/** One HotfixApproval as the operator weighed it, kept on the Hotfix for the report and the CLI. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ApprovalRecord {

  /** The HotfixApproval's name. */
  @JsonPropertyDescription("The name of the HotfixApproval.")
  public String name;

  /** Who decided. */
  @JsonPropertyDescription("The approver's user name (stamped by the admission webhook, or as recorded without it).")
  public String approver;

  /** Whether the approver's identity was verified by the admission webhook. */
  @JsonPropertyDescription("true when the admission webhook stamped the approver's identity; false when unverified.")
  public Boolean verified;

  /** Approve or Reject. */
  @JsonPropertyDescription("Approve or Reject.")
  public Decision decision;

  /** The approver's comment. */
  @Size(max = 1024)
  @JsonPropertyDescription("The approver's comment.")
  public String comment;

  /** When the decision was made. */
  @JsonPropertyDescription("When the HotfixApproval was created (RFC 3339).")
  public String at;

  /** Whether it counted towards the approvals the policy requires. */
  @JsonPropertyDescription("Whether the decision counted; false for self-approval or an approver not on the "
      + "policy's list.")
  public Boolean counted;

  /** Why it did not count. */
  @JsonPropertyDescription("Why the decision did not count, when it did not.")
  public String message;
}
