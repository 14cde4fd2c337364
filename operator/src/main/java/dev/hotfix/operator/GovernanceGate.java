package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.HotfixApproval;
import dev.hotfix.api.v1alpha1.HotfixStatus;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.RecurrenceRecord;
import dev.hotfix.api.v1alpha1.RecurrenceRule;
import dev.hotfix.policy.ApprovalTally;
import dev.hotfix.policy.Governance;
import dev.hotfix.policy.Identity;
import dev.hotfix.policy.IdentityProofs;
import dev.hotfix.policy.PolicyDecision;
import dev.hotfix.policy.PolicyDecision.Outcome;
import dev.hotfix.policy.PriorHotfixes;
import dev.hotfix.policy.RecurrencePolicy.Recurrence;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The policy gate of the waiting phases (Pending, Scheduled, AwaitingApproval): asks
 * {@link Governance} about the Hotfix (with the hot fixes its target had before, for the
 * recurrence rule), writes each HotfixApproval's status, and says either
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
   * @param record the requester, approvals, review flag and recurrence to write into status in any case
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
    PriorHotfixes prior = inputs.history(namespace, o.hotfix().getSpec().target).plus(startedRivals(o));
    PolicyDecision d = Governance.decide(o.hotfix(), inputs.policy(namespace), approvals, proofs, o.now(), prior);
    d.tally().ifPresent(t -> writeApprovalStatuses(t, approvals, o.name()));
    Consumer<HotfixStatus> record = s -> {
      s.requestedBy = d.requester().map(Identity::user).orElse(null);
      s.requesterVerified = d.requester().map(Identity::verified).orElse(false);
      d.tally().ifPresent(t -> s.approvals = t.records().isEmpty() ? null
          : t.records().subList(0, Math.min(APPROVALS_KEPT, t.records().size())));
      s.reviewRequired = d.reviewRequired() ? true : null;
      if (s.recurrence == null && d.outcome() != Outcome.REJECTED) {
        // flagged once, when first found: the Event and the metric follow that first write
        d.recurrence().filter(Recurrence::recurs).ifPresent(r -> s.recurrence = new RecurrenceRecord(r.count(),
            r.window(), r.earlier().subList(Math.max(0, r.earlier().size() - RecurrenceRule.MAX_THRESHOLD),
            r.earlier().size())));
      }
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

  /** The target's other Hotfixes that started (in flight, or ended and maybe not yet in its history). */
  private static List<PriorHotfixes.Prior> startedRivals(Observation o) {
    return o.rivals().stream().filter(h -> h.getStatus() != null && h.getStatus().startedAt != null)
        .map(h -> new PriorHotfixes.Prior(h.getMetadata().getName(), h.getMetadata().getUid(),
            Instant.parse(h.getStatus().startedAt)))
        .toList();
  }

  private void writeApprovalStatuses(ApprovalTally tally, Iterable<HotfixApproval> approvals, String hotfix) {
    for (HotfixApproval a : approvals) {
      approvalStatuses.write(a, tally.statusOf(a, hotfix));
    }
  }
}
