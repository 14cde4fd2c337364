package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** What one severity may do. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SeverityRule {

  /** Whether this severity may ship as a hot fix at all. */
  @JsonPropertyDescription("Whether this severity may ship as a hot fix at all; false rejects it with \"wait for the "
      + "next scheduled release\".")
  public Boolean allowed;

  /** Approvals needed before the rollout starts. */
  @Min(0)
  @Max(10)
  @JsonPropertyDescription("Approvals (HotfixApproval with decision Approve, from distinct approvers other than the "
      + "requester) needed before the rollout starts.")
  public Integer approvals;

  /** Flag the hot fix for a review after it ships (break-glass). */
  @JsonPropertyDescription("Flag the hot fix for review after it ships (break-glass): the incident report and "
      + "notifications say so.")
  public Boolean reviewAfter;

  /** Ship only inside a maintenance window. */
  @JsonPropertyDescription("Ship only inside one of the policy's maintenance windows; outside them the Hotfix waits "
      + "in Scheduled.")
  public Boolean maintenanceWindowOnly;
}
