package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.HotfixApproval;
import dev.hotfix.api.v1alpha1.HotfixStatus;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.policy.ApprovalTally;
import dev.hotfix.policy.Governance;
import dev.hotfix.policy.Identity;
import dev.hotfix.policy.IdentityProofs;
import dev.hotfix.policy.PolicyDecision;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The policy gate of the waiting phases (Pending, Scheduled, AwaitingApproval): asks
 * {@link Governance} about the Hotfix, writes each HotfixApproval's status, and says either
 * which waiting or final step to take or, once cleared, what to record when the Hotfix moves on.
 * Nothing is written to the Deployment here.
 */
class GovernanceGate {
  /** The schema's bound on status.approvals; the oldest decisions are kept (all of them still count). */
  static final int APPROVALS_KEPT = 50;
  private final GovernanceInputs inputs;
  private final ApprovalStatusWriter approvalStatuses;
  private final IdentityProofs proofs;

  GovernanceGate(GovernanceInputs inputs, ApprovalStatusWriter approvalStatuses, IdentityProofs proofs) {
    this.inputs = inputs;
    this.approvalStatuses = approvalStatuses;
    this.proofs = proofs;
  }

  /**
   * The gate's ruling.
   *
   * @param held the step to take instead of moving on, empty when the Hotfix is cleared
   * @param clearance why it may go, when cleared (for the message of the next step)
   * @param record the requester, approvals and review flag to write into status in any case
   * @param requester who asked for the Hotfix, empty when no one is recorded
   * @param breakGlass cleared as break-glass Critical: it goes ahead of Hotfixes that only wait
   */
  record Ruling(Optional<Step> held, String clearance, Consumer<HotfixStatus> record, Optional<Identity> requester,
      boolean breakGlass) {

    /**
     * For the phases that only wait on the policy: the held step, or back to Pending once
     * cleared (Pending checks the target again and starts, in the same pass).
     */
    Step heldOrBackToPending(String why) {
      return held.orElseGet(() -> Step.to(Phase.Pending, why + clearance).with(record));
    }
  }

  Ruling rule(Observation o) {
    String namespace = o.hotfix().getMetadata().getNamespace();
    var approvals = inputs.approvalsFor(namespace, o.name());
    PolicyDecision d = Governance.decide(o.hotfix(), inputs.policy(namespace), approvals, proofs, o.now());
    d.tally().ifPresent(t -> writeApprovalStatuses(t, approvals, o.name()));
    Consumer<HotfixStatus> record = s -> {
      s.requestedBy = d.requester().map(Identity::user).orElse(null);
      s.requesterVerified = d.requester().map(Identity::verified).orElse(false);
      d.tally().ifPresent(t -> s.approvals = t.records().isEmpty() ? null
          : t.records().subList(0, Math.min(APPROVALS_KEPT, t.records().size())));
      s.reviewRequired = d.reviewRequired() ? true : null;
    };
    Optional<Step> held = switch (d.outcome()) {
      case POLICY_UNUSABLE -> Optional.of(Step.stay(Phase.Pending, d.message(), Optional.empty()));
      case REJECTED -> Optional.of(Step.to(Phase.Rejected, d.message()));
      case SCHEDULED -> Optional.of(Step.stay(Phase.Scheduled, d.message(), d.recheckAt()));
      case AWAITING_APPROVAL -> Optional.of(Step.stay(Phase.AwaitingApproval, d.message(), Optional.empty()));
      case CLEARED -> Optional.empty();
    };
    return new Ruling(held.map(s -> s.with(record)), d.message(), record, d.requester(), d.breakGlassCleared());
  }

  private void writeApprovalStatuses(ApprovalTally tally, Iterable<HotfixApproval> approvals, String hotfix) {
    for (HotfixApproval a : approvals) {
      approvalStatuses.write(a, tally.statusOf(a, hotfix));
    }
  }
}
