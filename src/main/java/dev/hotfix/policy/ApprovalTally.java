package dev.hotfix.policy;

import dev.hotfix.api.v1alpha1.ApprovalRecord;
import dev.hotfix.api.v1alpha1.Decision;
import dev.hotfix.api.v1alpha1.HotfixApproval;
import dev.hotfix.api.v1alpha1.HotfixApprovalStatus;
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
   * @param hotfixCreated when the Hotfix was created (RFC 3339): an older approval was made for
   *     an earlier Hotfix of the same name and does not count
   * @param requester who asked for the Hotfix, empty when unknown (then no one is excluded)
   * @param approvals the HotfixApprovals naming the Hotfix, in any order
   * @param identitiesVerified whether the admission webhook stamps identities
   */
  public static ApprovalTally of(String hotfixCreated, Optional<Identity> requester, List<HotfixApproval> approvals,
      EffectivePolicy policy, boolean identitiesVerified) {
    Instant since = hotfixCreated == null ? Instant.MIN : Instant.parse(hotfixCreated);
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
      Optional<Identity> approver = IdentityAnnotations.approver(a, identitiesVerified);
      Decision decision = a.getSpec() == null ? null : a.getSpec().decision;
      ApprovalRecord r = new ApprovalRecord();
      r.name = a.getMetadata().getName();
      r.approver = approver.map(Identity::user).orElse(null);
      r.verified = approver.map(Identity::verified).orElse(false);
      r.decision = decision;
      r.comment = a.getSpec() == null ? null : a.getSpec().comment;
      r.at = a.getMetadata().getCreationTimestamp();
      boolean older = r.at != null && Instant.parse(r.at).isBefore(since);
      r.message = whyNotCounted(older, approver, requester, policy, decision,
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

  private static Optional<String> whyNotCounted(boolean olderThanHotfix, Optional<Identity> approver,
      Optional<Identity> requester, EffectivePolicy policy, Decision decision, Set<String> alreadyDecided) {
    if (olderThanHotfix) {
      return Optional.of("made before this Hotfix was created, so for an earlier Hotfix of the same name");
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
