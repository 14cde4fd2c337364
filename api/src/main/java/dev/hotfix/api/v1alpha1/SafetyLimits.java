package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The rollout and rollback settings of a Hotfix that weaken its safety net, and the range of its
 * deadlines: what the namespace's owners allow a requester to choose.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SafetyLimits {

  /** Whether a Hotfix may set rollout.allowDowntime: true. */
  @JsonPropertyDescription("true lets a Hotfix set spec.rollout.allowDowntime: true (fewer ready pods than desired "
      + "during the rollout). Default false: such a Hotfix is Rejected.")
  public Boolean allowDowntime;

  /** Whether a Hotfix may set rollback.automatic: false. */
  @JsonPropertyDescription("true lets a Hotfix set spec.rollback.automatic: false (a failing revision stays in place "
      + "for a human). Default false: such a Hotfix is Rejected.")
  public Boolean allowDisablingAutomaticRollback;

  /** Whether a Hotfix may set rollback.onDelete: Leave. */
  @JsonPropertyDescription("true lets a Hotfix set spec.rollback.onDelete: Leave (deleting it mid-flight keeps the "
      + "unverified revision). Default false: such a Hotfix is Rejected.")
  public Boolean allowLeaveOnDelete;

  /** The range of rollout.progressDeadlineSeconds. */
  @JsonPropertyDescription("The range spec.rollout.progressDeadlineSeconds must stay within (its default, 300, "
      + "counts when a Hotfix leaves it out). Absent: only the schema's 1-86400.")
  public Bounds progressDeadlineSeconds;

  /** The range of rollout.podReadyTimeoutSeconds. */
  @JsonPropertyDescription("The range spec.rollout.podReadyTimeoutSeconds must stay within (default 120 counts). "
      + "Absent: only the schema's 1-86400.")
  public Bounds podReadyTimeoutSeconds;

  /** The range of rollout.maxRestarts. */
  @JsonPropertyDescription("The range spec.rollout.maxRestarts must stay within (default 0 counts). Absent: only "
      + "the schema's 0-1000.")
  public Bounds maxRestarts;

  /** The range of verification.bakeSeconds. */
  @JsonPropertyDescription("The range spec.verification.bakeSeconds must stay within (default 120 counts), e.g. "
      + "{min: 300} so that every hot fix bakes at least five minutes. Absent: only the schema's 0-86400.")
  public Bounds bakeSeconds;
}
