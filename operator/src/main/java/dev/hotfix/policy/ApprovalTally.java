package dev.hotfix.policy;

import dev.hotfix.api.v1alpha1.ApprovalRecord;
import dev.hotfix.api.v1alpha1.Decision;
import dev.hotfix.api.v1alpha1.HotfixApproval;
import dev.hotfix.api.v1alpha1.HotfixApprovalStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The HotfixApprovals of one Hotfix weighed against the policy: a decision counts when its
 * approver is known, is not the requester (four eyes), is on the approvers list (when the
 * policy has one), and has not already decided the same way. Every decision is recorded, with
 * why it did not count when it did not, except a repeat of a decision the same person already
 * made: it is counted once and only tallied, so a flood of duplicates cannot grow the Hotfix's
 * status (each HotfixApproval's own status still says why it did not count).
 */
public final class ApprovalTally {
  private final List<ApprovalRecord> records;
  private final Map<HotfixApproval, ApprovalRecord> byApproval;
  private final Set<String> approvedBy;
  private final Optional<ApprovalRecord> rejection;
  private final List<ApprovalRecord> repeats;

  private ApprovalTally(List<ApprovalRecord> records, Map<HotfixApproval, ApprovalRecord> byApproval,
      Set<String> approvedBy, Optional<ApprovalRecord> rejection, List<ApprovalRecord> repeats) {
    this.records = records;
    this.byApproval = byApproval;
    this.approvedBy = approvedBy;
    this.rejection = rejection;
    this.repeats = repeats;
  }

  /**
   * @param hotfix the uid and creation time (RFC 3339) of the Hotfix: an approval that records
   *     another uid, or (recording none) is older than the Hotfix, was made for an earlier Hotfix
   *     of the same name and does not count
   * @param requester who asked for the Hotfix, empty when unknown (then no one is excluded)
   * @param approvals the HotfixApprovals naming the Hotfix, in any order
   * @param proofs checks the webhook's identity proofs
   */
  public static ApprovalTally of(ObjectMeta hotfix, Optional<Identity> requester, List<HotfixApproval> approvals,
      EffectivePolicy policy, IdentityProofs proofs) {
    Instant since = hotfix.getCreationTimestamp() == null ? Instant.MIN : Instant.parse(hotfix.getCreationTimestamp());
    List<HotfixApproval> ordered = approvals.stream()
        .sorted(Comparator.comparing((HotfixApproval a) -> String.valueOf(a.getMetadata().getCreationTimestamp()))
            .thenComparing(a -> a.getMetadata().getName()))
        .toList();
    List<ApprovalRecord> records = new ArrayList<>();
    Map<HotfixApproval, ApprovalRecord> byApproval = new IdentityHashMap<>();
    Set<String> approvedBy = new LinkedHashSet<>();
    Set<String> rejectedBy = new HashSet<>();
    ApprovalRecord rejection = null;
    Set<String> decided = new HashSet<>();
    List<ApprovalRecord> repeats = new ArrayList<>();
    for (HotfixApproval a : ordered) {
      Optional<Identity> approver = IdentityAnnotations.approver(a, proofs);
      Decision decision = a.getSpec() == null ? null : a.getSpec().decision;
      ApprovalRecord r = new ApprovalRecord();
      r.name = a.getMetadata().getName();
      r.approver = approver.map(Identity::user).orElse(null);
      r.verified = approver.map(Identity::verified).orElse(false);
      r.decision = decision;
      r.comment = a.getSpec() == null ? null : a.getSpec().comment;
      r.at = a.getMetadata().getCreationTimestamp();
      Optional<String> earlier = madeForAnEarlierHotfix(a, hotfix.getUid(), since);
      r.message = whyNotCounted(earlier, unproven(proofs, approver, requester), approver, requester, policy, decision,
          decision == Decision.Reject ? rejectedBy : approvedBy).orElse(null);
      r.counted = r.message == null;
      if (r.counted) {
        (decision == Decision.Reject ? rejectedBy : approvedBy).add(r.approver);
        if (decision == Decision.Reject && rejection == null) {
          rejection = r;
        }
      }
      byApproval.put(a, r);
      if (r.approver != null && decision != null && !decided.add(r.approver + "/" + decision)) {
        repeats.add(r);
      } else {
        records.add(r);
      }
    }
    return new ApprovalTally(List.copyOf(records), byApproval, approvedBy, Optional.ofNullable(rejection),
        List.copyOf(repeats));
  }

  /** Every decision as weighed, oldest first: what goes into the Hotfix's status.approvals. */
  public List<ApprovalRecord> records() {
    return records;
  }

  /** The distinct approvers whose Approve counted, in the order they approved. */
  public Set<String> approvedBy() {
    return approvedBy;
  }

  /** The first counted Reject, if any: it ends the Hotfix. */
  public Optional<ApprovalRecord> rejection() {
    return rejection;
  }

  /**
   * The decisions that did not count, as {@code name (why)}, oldest first, repeats included, for
   * messages (which name only the first few).
   */
  public List<String> notCounted() {
    return Stream.concat(records.stream(), repeats.stream())
        .filter(r -> !r.counted)
        .sorted(Comparator.comparing((ApprovalRecord r) -> String.valueOf(r.at)).thenComparing(r -> r.name))
        .map(r -> r.name + " (" + r.message + ")").toList();
  }

  /** What to write into the HotfixApproval's own status. */
  public HotfixApprovalStatus statusOf(HotfixApproval approval, String hotfix) {
    ApprovalRecord r = byApproval.get(approval);
    HotfixApprovalStatus s = new HotfixApprovalStatus();
    s.approver = r.approver;
    s.verified = r.verified;
    s.message = r.counted ? "counted for Hotfix " + hotfix : "not counted: " + r.message;
    return s;
  }

  /**
   * Why the approval belongs to an earlier Hotfix of the same name: it records another Hotfix uid
   * (the webhook and the CLI record it), or, recording none, it is older than this Hotfix.
   */
  private static Optional<String> madeForAnEarlierHotfix(HotfixApproval a, String uid, Instant since) {
    Optional<String> recorded = IdentityAnnotations.hotfixUid(a);
    if (recorded.isPresent()) {
      return recorded.get().equals(uid) ? Optional.empty() : Optional.of("made for another Hotfix of the same name "
          + "(uid " + recorded.get() + "), not this one (uid " + uid + "): a recreated Hotfix needs new approvals");
    }
    String at = a.getMetadata().getCreationTimestamp();
    return at != null && Instant.parse(at).isBefore(since)
        ? Optional.of("made before this Hotfix was created, so for an earlier Hotfix of the same name")
        : Optional.empty();
  }

  /**
   * With the identity key held, the webhook is installed, so an identity without its proof was
   * written by a client (while the webhook was absent, or forged): such an approver does not
   * count, nor does anyone for a requester who is not proven (four eyes need to know who asked).
   */
  private static Optional<String> unproven(IdentityProofs proofs, Optional<Identity> approver,
      Optional<Identity> requester) {
    if (!proofs.hasKey() || approver.isEmpty()) {
      return Optional.empty();
    }
    if (!approver.get().verified()) {
      return Optional.of(approver.get().user() + " is not proven: the approval carries no valid proof from the "
          + "admission webhook (created while it was absent, or its annotations were written by hand); ask "
          + approver.get().user() + " to approve again");
    }
    if (requester.isEmpty() || !requester.get().verified()) {
      return Optional.of("the requester of this Hotfix is not proven (it carries no valid proof from the admission "
          + "webhook), so four eyes cannot be checked: create the Hotfix again while the webhook is on");
    }
    return Optional.empty();
  }

  private static Optional<String> whyNotCounted(Optional<String> earlierHotfix, Optional<String> unproven,
      Optional<Identity> approver, Optional<Identity> requester, EffectivePolicy policy, Decision decision,
      Set<String> alreadyDecided) {
    if (earlierHotfix.isPresent()) {
      return earlierHotfix;
    }
    if (unproven.isPresent()) {
      return unproven;
    }
    if (decision == null) {
      return Optional.of("no decision: spec.decision must be Approve or Reject");
    }
    if (approver.isEmpty()) {
      return Optional.of("no approver recorded: the annotation " + IdentityAnnotations.APPROVED_BY + " is missing (the "
          + "admission webhook stamps it; without the webhook, create approvals with `kubectl hotfix approve`)");
    }
    Identity who = approver.get();
    if (requester.isPresent() && requester.get().user().equals(who.user())) {
      return Optional.of("self-approval: " + who.user() + " requested this Hotfix, and four eyes need someone else");
    }
    if (!policy.approvers().admits(who)) {
      return Optional.of(who.user() + " is not on the approvers list of " + policy.source() + " ("
          + policy.approvers() + ")");
    }
    if (alreadyDecided.contains(who.user())) {
      return Optional.of(who.user() + " already decided " + decision + "; one person counts once");
    }
    return Optional.empty();
  }
}
