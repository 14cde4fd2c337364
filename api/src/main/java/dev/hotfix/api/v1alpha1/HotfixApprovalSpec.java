package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The decision. Immutable once made: a changed mind is a new HotfixApproval. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self == oldSelf", message = "a HotfixApproval is immutable; create a new one instead")
public class HotfixApprovalSpec {

  /** The Hotfix, in the same namespace. */
  @Required
  @Size(min = 1, max = 253)
  @Pattern(ApiPatterns.DNS_SUBDOMAIN)
  @JsonPropertyDescription("The name of the Hotfix this decision is about, in the same namespace.")
  public String hotfix;

  /** Approve or Reject. */
  @Required
  @JsonPropertyDescription("Approve or Reject. One Reject ends the Hotfix as Rejected.")
  public Decision decision;

  /** Why. */
  @Size(max = 1024)
  @Pattern(ApiPatterns.PRINTABLE_TEXT)
  @JsonPropertyDescription("Why; it goes into the incident report (up to 1024 characters, no control characters but "
      + "tab and line breaks).")
  public String comment;
}
