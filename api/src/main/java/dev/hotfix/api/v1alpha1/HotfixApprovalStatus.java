package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Who made the decision and whether it counted. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HotfixApprovalStatus {

  /** The approver's identity. */
  @JsonPropertyDescription("The approver's user name, as the admission webhook saw it (or the creator recorded "
      + "without the webhook).")
  public String approver;

  /** Whether the identity was verified by the admission webhook. */
  @JsonPropertyDescription("true when the admission webhook stamped the identity from the API server's "
      + "authentication; false when it is unverified.")
  public Boolean verified;

  /** Whether this decision counted, and why not when it didn't. */
  @JsonPropertyDescription("Whether the decision counted towards the Hotfix, and why not when it did not "
      + "(self-approval, approver not on the policy's list).")
  public String message;
}
