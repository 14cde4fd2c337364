package dev.hotfix.notify;

import dev.hotfix.api.v1alpha1.Phase;
import java.util.Optional;

/**
 * The phase changes people are told about, each with the stable name that notifications carry
 * in their {@code event} field. Everything else (Pending, Scheduled, Verifying, the start of a
 * rollback) stays in Events and the timeline: a channel that speaks on every step is muted.
 */
public enum Announcement {
  /** The rollout began: the Deployment is changing now. */
  STARTED("started"),
  /** Waiting for the approvals the policy requires: someone must act. */
  AWAITING_APPROVAL("awaiting_approval"),
  /** Rolled out and verified. */
  SUCCEEDED("succeeded"),
  /** A check failed or abort was requested, and the previous revision is back and healthy. */
  ROLLED_BACK("rolled_back"),
  /** The rollback itself did not become healthy: needs a human now. */
  ROLLBACK_FAILED("rollback_failed"),
  /** Could not finish and was told not to roll back (or could not start one): needs a human. */
  FAILED("failed"),
  /** Policy, validation or an approver said no; nothing was changed. */
  REJECTED("rejected"),
  /** Someone else changed the target mid-flight; the operator stepped aside. */
  SUPERSEDED("superseded");

  private final String eventName;

  Announcement(String eventName) {
    this.eventName = eventName;
  }

  /** The value of the {@code event} field, e.g. {@code rolled_back}. */
  public String eventName() {
    return eventName;
  }

  /** What a change from {@code from} to {@code to} announces, if anything. */
  public static Optional<Announcement> of(Phase from, Phase to) {
    if (from == to) {
      return Optional.empty();
    }
    return Optional.ofNullable(switch (to) {
      case RollingOut -> STARTED;
      case AwaitingApproval -> AWAITING_APPROVAL;
      case Succeeded -> SUCCEEDED;
      case RolledBack -> ROLLED_BACK;
      case Failed -> from == Phase.RollingBack ? ROLLBACK_FAILED : FAILED;
      case Rejected -> REJECTED;
      case Superseded -> SUPERSEDED;
      // a dry run changed nothing: there is nothing to announce
      case Pending, Scheduled, Verifying, RollingBack, Previewed -> null;
    });
  }
}
