package dev.hotfix.api.v1alpha1;

/**
 * Why a Hotfix rolled back, decided once where the rollback is decided ({@code status.rollbackCause})
 * and read everywhere else: the {@code hotfix_rollbacks_total} reason tag, the reasons of the
 * Verified and RolledBack conditions, the incident report's words, and the prefix of the human
 * {@code status.rollbackReason} ({@code pod_fault: pod web-1 ...}). Tags and reasons are contract
 * (alerts and dashboards read them): several causes share {@code manual}.
 */
public enum RollbackCause {
  /** A metric check failed past its limits. */
  Check("check", "Check", "CheckFailed", "A metric check failed"),
  /** A pod of the new revision failed (crash loop, OOM, pull error, not ready in time...). */
  PodFault("pod_fault", "PodFault", "PodFault", "A pod of the new revision failed"),
  /** The rollout missed progressDeadlineSeconds. */
  Deadline("deadline", "Deadline", "Deadline", "The rollout missed its deadline"),
  /** More pods ran the new images than the declared bound before the verdict (status.exposure). */
  Exposure("exposure", "Exposure", "Exposure", "More pods ran the new images than the bound on exposure allows"),
  /** Someone asked for it: spec.abort. */
  Abort("manual", "Manual", "Manual", "A rollback was requested (spec.abort)"),
  /** The Hotfix was deleted mid-flight with spec.rollback.onDelete: RollBack. */
  Deleted("manual", "Manual", "Manual", "The Hotfix was deleted while it changed the Deployment "
      + "(spec.rollback.onDelete: RollBack)"),
  /** Someone else deleted the canary ReplicaSet before its verdict. */
  CanaryDeleted("manual", "Manual", "Manual", "The canary was deleted by someone else before its verdict");

  private final String metricTag;
  private final String reason;
  private final String notVerifiedReason;
  private final String words;

  RollbackCause(String metricTag, String reason, String notVerifiedReason, String words) {
    this.metricTag = metricTag;
    this.reason = reason;
    this.notVerifiedReason = notVerifiedReason;
    this.words = words;
  }

  /** The {@code reason} tag of {@code hotfix_rollbacks_total}: check, pod_fault, deadline, exposure, manual. */
  public String metricTag() {
    return metricTag;
  }

  /** The reason of the RolledBack condition once rolled back. */
  public String reason() {
    return reason;
  }

  /** The reason of the Verified condition (False) while and after rolling back. */
  public String notVerifiedReason() {
    return notVerifiedReason;
  }

  /** The cause in words, for the incident report's outcome. */
  public String words() {
    return words;
  }

  /** The human rollback reason for {@code detail}: {@code pod_fault: pod web-1 ...}. */
  public String describe(String detail) {
    return metricTag + ": " + detail;
  }
}
