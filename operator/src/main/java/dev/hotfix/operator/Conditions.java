package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.ApprovalRecord;
import dev.hotfix.api.v1alpha1.Decision;
import dev.hotfix.api.v1alpha1.HotfixStatus;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.RollbackCause;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The status conditions, derived from the phase: kstatus's {@code Reconciling}, {@code Stalled}
 * and {@code Ready} (so Flux and kstatus-aware tools judge a Hotfix without knowing it), plus
 * {@code Approved}, {@code Verified} and {@code RolledBack}. A condition keeps its
 * lastTransitionTime while its status stays the same.
 */
final class Conditions {
  static final String READY = "Ready";
  static final String RECONCILING = "Reconciling";
  static final String STALLED = "Stalled";
  static final String VERIFIED = "Verified";
  static final String ROLLED_BACK = "RolledBack";
  static final String APPROVED = "Approved";
  /** The reason when a rollback recorded no cause (a status written by someone else). */
  static final String UNKNOWN = "Unknown";

  private Conditions() {
  }

  /** Sets every condition for the status's current phase. */
  static void update(HotfixStatus s, long generation, Instant now) {
    Phase p = s.phase;
    String reason = p.name();
    String message = s.message;
    set(s, RECONCILING, !p.isTerminal(), reason, message, generation, now);
    set(s, STALLED, p == Phase.Failed || p == Phase.Rejected, reason, message, generation, now);
    // a dry run that previewed is done as asked: Ready, so kstatus-aware tools do not wait on it
    set(s, READY, p == Phase.Succeeded || p == Phase.Previewed, reason, message, generation, now);
    approved(s, generation, now);
    switch (p) {
      case Succeeded -> set(s, VERIFIED, true, "HealthChecksPassed", message, generation, now);
      case RollingBack, RolledBack -> {
        RollbackCause cause = s.rollbackCause;
        set(s, VERIFIED, false, cause == null ? UNKNOWN : cause.notVerifiedReason(), s.rollbackReason, generation,
            now);
        set(s, ROLLED_BACK, p == Phase.RolledBack, p != Phase.RolledBack ? "InProgress"
            : cause == null ? UNKNOWN : cause.reason(), s.rollbackReason, generation, now);
      }
      // a rollback was decided and could not restore a healthy revision (or was not made: NOT rolled back)
      case Failed -> {
        if (s.rollbackReason != null) {
          set(s, ROLLED_BACK, false, "RollbackFailed", message, generation, now);
        }
      }
      default -> {
      }
    }
  }

  /**
   * Approved: False while approvals are awaited or after a counted rejection; True once the
   * Hotfix starts rolling out (reason Approved; BreakGlass when it ships without approval to be
   * reviewed after; NotRequired). Left as it was in the phases that do not decide it.
   */
  private static void approved(HotfixStatus s, long generation, Instant now) {
    List<ApprovalRecord> counted = s.approvals == null ? List.of()
        : s.approvals.stream().filter(r -> Boolean.TRUE.equals(r.counted)).toList();
    switch (s.phase) {
      case AwaitingApproval -> set(s, APPROVED, false, "AwaitingApproval", s.message, generation, now);
      case Rejected -> {
        if (counted.stream().anyMatch(r -> r.decision == Decision.Reject)) {
          set(s, APPROVED, false, "Rejected", s.message, generation, now);
        }
      }
      case RollingOut -> {
        List<String> approvers = counted.stream().filter(r -> r.decision == Decision.Approve).map(r -> r.approver)
            .toList();
        if (!approvers.isEmpty()) {
          set(s, APPROVED, true, "Approved", "approved by " + String.join(", ", approvers), generation, now);
        } else if (Boolean.TRUE.equals(s.reviewRequired)) {
          set(s, APPROVED, true, "BreakGlass", "shipped without approval; flagged for review after", generation, now);
        } else {
          set(s, APPROVED, true, "NotRequired", "the policy requires no approval", generation, now);
        }
      }
      default -> {
      }
    }
  }

  private static void set(HotfixStatus s, String type, boolean status, String reason, String message,
      long generation, Instant now) {
    if (s.conditions == null) {
      s.conditions = new ArrayList<>();
    }
    List<Condition> conditions = s.conditions;
    String value = status ? "True" : "False";
    Condition existing = conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    String since = existing != null && Objects.equals(existing.getStatus(), value)
        ? existing.getLastTransitionTime() : now.toString();
    Condition c = new Condition(since, truncate(message), generation, reason, value, type);
    if (existing != null) {
      conditions.set(conditions.indexOf(existing), c);
    } else {
      conditions.add(c);
    }
  }

  private static String truncate(String message) {
    return message == null ? "" : message.length() <= 1024 ? message : message.substring(0, 1021) + "...";
  }
}
