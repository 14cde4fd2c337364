package dev.hotfix.policy;

import dev.hotfix.api.v1alpha1.ApprovalRecord;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixApproval;
import dev.hotfix.api.v1alpha1.HotfixPolicy;
import dev.hotfix.api.v1alpha1.Severity;
import dev.hotfix.policy.PolicyDecision.Outcome;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * Whether a Hotfix may ship now, by its namespace's policy: may its requester declare
 * break-glass Critical (else it is governed as Major), does it ask only for images and safety
 * settings the policy allows, is its severity allowed at all, has an approver rejected it, does a freeze or the lack of an open maintenance window hold
 * it, are there enough approvals (at least one for a recurring hot fix when the policy says
 * so). Pure: the caller supplies the policy, the approvals, the target's earlier hot fixes and
 * the time, and writes what follows.
 */
public final class Governance {
  private static final DateTimeFormatter UTC = DateTimeFormatter.ISO_INSTANT;
  /** Decisions named in a message; status.approvals and each HotfixApproval's status have the rest. */
  private static final int NOT_COUNTED_NAMED = 3;

  private Governance() {
  }

  /**
   * @param hotfix the Hotfix (its severity and requester annotation)
   * @param policy the namespace's HotfixPolicy {@code default}, empty when absent
   * @param approvals the HotfixApprovals naming this Hotfix
   * @param proofs checks the admission webhook's identity proofs (requester, approvers)
   * @param now the time of the decision
   */
  public static PolicyDecision decide(Hotfix hotfix, Optional<HotfixPolicy> policy, List<HotfixApproval> approvals,
      IdentityProofs proofs, Instant now) {
    return decide(hotfix, policy, approvals, proofs, now, PriorHotfixes.NONE);
  }

  /**
   * As above, also judging whether the Hotfix recurs: {@code prior} are the hot fixes its target
   * had before (a recurring one is flagged, and waits for an approval when the policy's
   * {@code spec.recurrence.requireApproval} says so, even Critical).
   */
  public static PolicyDecision decide(Hotfix hotfix, Optional<HotfixPolicy> policy, List<HotfixApproval> approvals,
      IdentityProofs proofs, Instant now, PriorHotfixes prior) {
    String namespace = hotfix.getMetadata().getNamespace();
    Optional<Identity> requester = IdentityAnnotations.requester(hotfix, proofs);
    EffectivePolicy rules;
    try {
      rules = EffectivePolicy.of(namespace, policy);
    } catch (PolicyProblem e) {
      return new PolicyDecision(Outcome.POLICY_UNUSABLE, "HotfixPolicy " + HotfixPolicy.DEFAULT_NAME + " in namespace "
          + namespace + " cannot be applied: " + e.getMessage() + "; this Hotfix waits until the policy is fixed",
          Optional.empty(), requester, Optional.empty(), false, Optional.empty());
    }
    Severity declared = hotfix.getSpec().severity;
    if (declared == null) {
      // the CRD requires it; a Hotfix stored without schema validation still gets a clear answer
      return new PolicyDecision(Outcome.REJECTED, "spec.severity is missing: set Trivial, Minor, Major or Critical",
          Optional.empty(), requester, Optional.empty(), false, Optional.empty());
    }
    boolean breakGlassRefused = declared == Severity.Critical && !mayBreakGlass(requester, rules.breakGlass());
    Severity severity = breakGlassRefused ? Severity.Major : declared;
    SeverityAllowance allowance = rules.allowance(severity);
    ApprovalTally tally = ApprovalTally.of(hotfix.getMetadata(), requester, approvals, rules, proofs);
    String governedAsMajor = breakGlassRefused ? "Critical from " + requester.map(Identity::user).orElse("an unknown "
        + "requester") + (requester.isPresent() && !requester.get().verified() ? " (identity not verified)" : "")
        + " is governed as Major: only spec.breakGlass (" + rules.breakGlass() + ") of " + rules.source()
        + " may declare break-glass Critical; " : "";
    RecurrencePolicy.Recurrence recurrence = rules.recurrence().judge(hotfix, prior, now);
    Decider d = new Decider(requester, tally, allowance.reviewAfter(), severity, governedAsMajor, recurrence);
    List<String> limits = rules.specLimits().problems(hotfix.getSpec(), rules.source());
    if (!limits.isEmpty()) {
      return d.decide(Outcome.REJECTED, String.join("; ", limits));
    }
    if (!allowance.allowed()) {
      return d.decide(Outcome.REJECTED, severity + " hot fixes are not allowed by " + rules.source() + ": wait for "
          + "the next scheduled release (if the problem is worse than " + severity + ", raise spec.severity)");
    }
    Optional<ApprovalRecord> rejection = tally.rejection();
    if (rejection.isPresent()) {
      ApprovalRecord r = rejection.get();
      return d.decide(Outcome.REJECTED, "rejected by " + r.approver + " (HotfixApproval " + r.name + ")"
          + (r.comment == null || r.comment.isBlank() ? "" : ": " + r.comment));
    }
    Optional<Freeze> freeze = severity == Severity.Critical ? Optional.empty() : rules.freezeAt(now);
    if (freeze.isPresent()) {
      Freeze f = freeze.get();
      return d.scheduled("held by a change freeze of " + rules.source() + " until " + UTC.format(f.end())
          + (f.reason() == null || f.reason().isBlank() ? "" : " (" + f.reason() + ")")
          + "; only Critical hot fixes ship during a freeze", f.end());
    }
    String window = "";
    if (allowance.maintenanceWindowOnly()) {
      Optional<EffectivePolicy.Open> open = rules.openWindow(now);
      if (open.isEmpty()) {
        EffectivePolicy.Open next = rules.nextWindow(now);
        return d.scheduled("waiting for the maintenance window " + next.window() + ", which opens at "
            + UTC.format(next.at()) + " (" + severity + " hot fixes ship only in a maintenance window of "
            + rules.source() + ")", next.at());
      }
      window = " in the maintenance window " + open.get().window() + " (open until "
          + UTC.format(open.get().at()) + ")";
    }
    Optional<String> recurrenceHold = rules.recurrence().approvalRequired(recurrence, rules.source());
    int needed = recurrenceHold.isPresent() ? Math.max(1, allowance.approvals()) : allowance.approvals();
    int have = tally.approvedBy().size();
    if (have < needed) {
      return d.decide(Outcome.AWAITING_APPROVAL, "waiting for " + (needed - have) + " more approval"
          + (needed - have == 1 ? "" : "s") + " (" + have + " of " + needed + "): a HotfixApproval with decision "
          + "Approve from someone other than " + requester.map(Identity::user).orElse("the requester")
          + (rules.approvers().anyone() ? "" : ", on the approvers list (" + rules.approvers() + ")")
          + notCounted(tally) + recurrenceHold.map(why -> "; " + why).orElse(""));
    }
    String cleared = have > 0 ? "approved by " + String.join(", ", tally.approvedBy())
        : allowance.reviewAfter() ? "break-glass: " + severity + " ships without approval and is flagged for review"
        : "no approval required for " + severity;
    return d.decide(Outcome.CLEARED, cleared + window);
  }

  /**
   * Whether the requester may declare break-glass Critical: anyone when the policy lists no one;
   * otherwise a listed user or group member whose identity the webhook verified (an identity a
   * client wrote could claim any group).
   */
  private static boolean mayBreakGlass(Optional<Identity> requester, ApproverList breakGlass) {
    return breakGlass.anyone() || requester.filter(Identity::verified).map(breakGlass::admits).orElse(false);
  }

  /** The decisions that did not count, the first few named and the rest counted. */
  private static String notCounted(ApprovalTally tally) {
    List<String> ignored = tally.notCounted();
    if (ignored.isEmpty()) {
      return "";
    }
    List<String> named = ignored.subList(0, Math.min(NOT_COUNTED_NAMED, ignored.size()));
    int more = ignored.size() - named.size();
    return "; not counted: " + String.join("; ", named) + (more > 0 ? "; (" + more + " more)" : "");
  }

  /**
   * Builds decisions that share the requester, tally, review flag and the severity governed as;
   * {@code prefix} says why that severity is not the declared one, when it is not.
   */
  private record Decider(Optional<Identity> requester, ApprovalTally tally, boolean reviewAfter, Severity governedAs,
      String prefix, RecurrencePolicy.Recurrence recurrence) {

    PolicyDecision decide(Outcome outcome, String message) {
      return new PolicyDecision(outcome, prefix + message + recurs(outcome), Optional.empty(), requester,
          Optional.of(tally), outcome == Outcome.CLEARED && reviewAfter, Optional.of(governedAs),
          Optional.of(recurrence));
    }

    PolicyDecision scheduled(String message, Instant until) {
      return new PolicyDecision(Outcome.SCHEDULED, prefix + message + recurs(Outcome.SCHEDULED), Optional.of(until),
          requester, Optional.of(tally), false, Optional.of(governedAs), Optional.of(recurrence));
    }

    /** A Hotfix on its way to ship says that it recurs; a rejected one changed nothing and does not count. */
    private String recurs(Outcome outcome) {
      return outcome != Outcome.REJECTED && recurrence.recurs() ? "; " + recurrence.message() : "";
    }
  }
}
