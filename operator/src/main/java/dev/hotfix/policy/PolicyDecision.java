package dev.hotfix.policy;

import dev.hotfix.api.v1alpha1.Severity;
import java.time.Instant;
import java.util.Optional;

/**
 * What the governance rules say about a Hotfix right now.
 *
 * @param outcome what happens next
 * @param message for people: why, and what would change it
 * @param recheckAt when the answer changes by itself (a window opens, a freeze ends)
 * @param requester who asked for the Hotfix, if recorded
 * @param tally the approvals as weighed (empty when the policy could not be read)
 * @param reviewRequired break-glass: the Hotfix ships but is flagged for review after
 * @param governedAs the severity whose rule applied: the Hotfix's own, or Major for a Critical
 *     declared by someone outside the policy's {@code spec.breakGlass} (empty when unknown)
 * @param recurrence how many hot fixes the target had within the policy's window (empty when
 *     the policy could not be read)
 */
public record PolicyDecision(Outcome outcome, String message, Optional<Instant> recheckAt,
    Optional<Identity> requester, Optional<ApprovalTally> tally, boolean reviewRequired,
    Optional<Severity> governedAs, Optional<RecurrencePolicy.Recurrence> recurrence) {

  /** A decision that did not look at the target's earlier hot fixes. */
  public PolicyDecision(Outcome outcome, String message, Optional<Instant> recheckAt, Optional<Identity> requester,
      Optional<ApprovalTally> tally, boolean reviewRequired, Optional<Severity> governedAs) {
    this(outcome, message, recheckAt, requester, tally, reviewRequired, governedAs, Optional.empty());
  }

  /** Whether the Hotfix was cleared as break-glass Critical: it goes ahead of Hotfixes that only wait. */
  public boolean breakGlassCleared() {
    return outcome == Outcome.CLEARED && governedAs.equals(Optional.of(Severity.Critical));
  }

  /** The possible answers, in the order they are checked. */
  public enum Outcome {
    /** The namespace's policy cannot be applied: wait until it is fixed (its edit re-evaluates at once). */
    POLICY_UNUSABLE,
    /** Not allowed, or rejected by an approver: ends the Hotfix with nothing changed. */
    REJECTED,
    /** Outside a maintenance window, or inside a freeze: wait until {@code recheckAt}. */
    SCHEDULED,
    /** Not enough approvals yet: wait for HotfixApprovals. */
    AWAITING_APPROVAL,
    /** May ship now. */
    CLEARED
  }
}
