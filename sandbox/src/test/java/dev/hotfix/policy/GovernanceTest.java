package dev.hotfix.policy;

import static dev.hotfix.testing.IdentityStamps.TEST_KEY;
import static dev.hotfix.testing.IdentityStamps.stamped;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hotfix.api.v1alpha1.Approvers;
import dev.hotfix.api.v1alpha1.Decision;
import dev.hotfix.api.v1alpha1.FreezeWindow;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixApproval;
import dev.hotfix.api.v1alpha1.HotfixApprovalSpec;
import dev.hotfix.api.v1alpha1.HotfixPolicy;
import dev.hotfix.api.v1alpha1.HotfixPolicySpec;
import dev.hotfix.api.v1alpha1.HotfixSpec;
import dev.hotfix.api.v1alpha1.MaintenanceWindow;
import dev.hotfix.api.v1alpha1.Severity;
import dev.hotfix.api.v1alpha1.SeverityRule;
import dev.hotfix.api.v1alpha1.SeverityRules;
import dev.hotfix.api.v1alpha1.Weekday;
import dev.hotfix.policy.PolicyDecision.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The policy's decisions: built-in defaults, partial policies, windows, freezes, four eyes. */
class GovernanceTest {
  /** A Saturday, 10:00 UTC. */
  private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

  @ParameterizedTest
  @CsvSource({
      "Critical, CLEARED,           true",
      "Major,    AWAITING_APPROVAL, false",
      "Minor,    REJECTED,          false",
      "Trivial,  REJECTED,          false",
  })
  void withoutAPolicyTheBuiltInDefaultsApply(Severity severity, Outcome outcome, boolean reviewRequired) {
    PolicyDecision d = decide(hotfix(severity, "alice"), Optional.empty(), List.of());

    assertThat(d.outcome()).isEqualTo(outcome);
    assertThat(d.reviewRequired()).isEqualTo(reviewRequired);
  }

  @Test
  void aMinorHotfixIsToldToWaitForTheNextScheduledRelease() {
    PolicyDecision d = decide(hotfix(Severity.Minor, "alice"), Optional.empty(), List.of());

    assertThat(d.message()).contains("Minor hot fixes are not allowed by the built-in policy",
        "wait for the next scheduled release");
  }

  @Test
  void theBuiltInDefaultsAreTheDocumentedOnes() {
    EffectivePolicy p = EffectivePolicy.of("shop", Optional.empty());

    assertThat(p.allowance(Severity.Critical)).isEqualTo(new SeverityAllowance(true, 0, true, false));
    assertThat(p.allowance(Severity.Major)).isEqualTo(new SeverityAllowance(true, 1, false, false));
    assertThat(p.allowance(Severity.Minor).allowed()).isFalse();
    assertThat(p.allowance(Severity.Trivial).allowed()).isFalse();
    assertThat(p.approvers().anyone()).isTrue();
    assertThat(p.source()).contains("built-in");
  }

  @Test
  void aPartialPolicyFallsBackFieldByFieldToTheDefaults() {
    HotfixPolicySpec spec = new HotfixPolicySpec();
    spec.severities = new SeverityRules();
    spec.severities.major = new SeverityRule();
    spec.severities.major.approvals = 2;
    spec.severities.minor = new SeverityRule();
    spec.severities.minor.allowed = true;

    EffectivePolicy p = EffectivePolicy.of("shop", Optional.of(policy(spec)));

    assertThat(p.allowance(Severity.Major)).isEqualTo(new SeverityAllowance(true, 2, false, false));
    assertThat(p.allowance(Severity.Minor)).isEqualTo(new SeverityAllowance(true, 0, false, false));
    assertThat(p.allowance(Severity.Critical)).as("left out: default").isEqualTo(new SeverityAllowance(true, 0, true, false));
    assertThat(p.allowance(Severity.Trivial).allowed()).isFalse();
    assertThat(p.source()).isEqualTo("HotfixPolicy default in namespace shop");
  }

  @Test
  void theRequestersOwnApprovalDoesNotCountAndSomeoneElsesDoes() {
    Hotfix h = hotfix(Severity.Major, "alice");

    PolicyDecision self = decide(h, Optional.empty(), List.of(approval("a1", "alice", Decision.Approve)));
    assertThat(self.outcome()).isEqualTo(Outcome.AWAITING_APPROVAL);
    assertThat(self.message()).contains("1 more approval (0 of 1)", "someone other than alice",
        "not counted: a1 (self-approval: alice requested this Hotfix");
    assertThat(self.tally().orElseThrow().records()).singleElement().satisfies(r -> {
      assertThat(r.counted).isFalse();
      assertThat(r.verified).isFalse();
    });

    PolicyDecision other = decide(h, Optional.empty(), List.of(approval("a1", "alice", Decision.Approve),
        approval("a2", "bob", Decision.Approve)));
    assertThat(other.outcome()).isEqualTo(Outcome.CLEARED);
    assertThat(other.message()).isEqualTo("approved by bob");
    assertThat(other.reviewRequired()).isFalse();
  }

  @Test
  void onePersonCountsOnceAndAnUnknownApproverNotAtAll() {
    HotfixPolicySpec spec = new HotfixPolicySpec();
    spec.severities = new SeverityRules();
    spec.severities.major = new SeverityRule();
    spec.severities.major.approvals = 2;
    HotfixApproval anonymous = approval("a3", null, Decision.Approve);

    PolicyDecision d = decide(hotfix(Severity.Major, "alice"), Optional.of(policy(spec)),
        List.of(approval("a1", "bob", Decision.Approve), approval("a2", "bob", Decision.Approve), anonymous));

    assertThat(d.outcome()).isEqualTo(Outcome.AWAITING_APPROVAL);
    assertThat(d.message()).contains("(1 of 2)", "a2 (bob already decided Approve", "a3 (no approver recorded");
    assertThat(d.tally().orElseThrow().statusOf(anonymous, "fix").message).startsWith("not counted: no approver");
  }

  @Test
  void onlyApproversOnThePolicysListCountByUserOrGroup() {
    HotfixPolicySpec spec = new HotfixPolicySpec();
    spec.approvers = new Approvers();
    spec.approvers.users = List.of("carol");
    spec.approvers.groups = List.of("sre-leads");
    Hotfix h = hotfix(Severity.Major, "alice");

    PolicyDecision outsider = decide(h, Optional.of(policy(spec)), List.of(approval("a1", "bob", Decision.Approve)));
    assertThat(outsider.outcome()).isEqualTo(Outcome.AWAITING_APPROVAL);
    assertThat(outsider.message()).contains("on the approvers list (users [carol], groups [sre-leads])",
        "bob is not on the approvers list of HotfixPolicy default in namespace shop");

    HotfixApproval lead = approval("a2", "dave", Decision.Approve);
    lead.getMetadata().getAnnotations().put(IdentityAnnotations.APPROVED_BY_GROUPS, "devs, sre-leads");
    assertThat(decide(h, Optional.of(policy(spec)), List.of(lead)).outcome()).isEqualTo(Outcome.CLEARED);
  }

  @Test
  void anApprovalOlderThanTheHotfixWasForAnEarlierHotfixOfTheSameName() {
    Hotfix h = hotfix(Severity.Major, "alice");
    h.getMetadata().setCreationTimestamp("2026-11-21T09:05:00Z");

    PolicyDecision d = decide(h, Optional.empty(), List.of(approval("a1", "bob", Decision.Approve)));

    assertThat(d.outcome()).isEqualTo(Outcome.AWAITING_APPROVAL);
    assertThat(d.message()).contains("a1 (made before this Hotfix was created");
  }

  @Test
  void aCountedRejectionEndsItAndNamesWhoAndWhy() {
    HotfixApproval reject = approval("a1", "bob", Decision.Reject);
    reject.getSpec().comment = "no rollback plan";

    PolicyDecision d = decide(hotfix(Severity.Major, "alice"), Optional.empty(), List.of(reject));

    assertThat(d.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(d.message()).isEqualTo("rejected by bob (HotfixApproval a1): no rollback plan");
  }

  @Test
  void criticalShipsAtOnceFlaggedForReviewEvenInAFreeze() {
    HotfixPolicySpec spec = new HotfixPolicySpec();
    spec.freezeWindows = List.of(freeze("2026-11-20T00:00:00Z", "2026-11-23T00:00:00Z", "Black Friday"));

    PolicyDecision d = decide(hotfix(Severity.Critical, "alice"), Optional.of(policy(spec)), List.of());

    assertThat(d.outcome()).isEqualTo(Outcome.CLEARED);
    assertThat(d.reviewRequired()).isTrue();
    assertThat(d.message()).startsWith("break-glass: Critical ships without approval");
  }

  @Test
  void aFreezeHoldsEverythingButCriticalUntilItEnds() {
    HotfixPolicySpec spec = new HotfixPolicySpec();
    spec.freezeWindows = List.of(freeze("2026-11-20T00:00:00Z", "2026-11-23T00:00:00Z", "Black Friday"));

    PolicyDecision d = decide(hotfix(Severity.Major, "alice"), Optional.of(policy(spec)),
        List.of(approval("a1", "bob", Decision.Approve)));

    assertThat(d.outcome()).isEqualTo(Outcome.SCHEDULED);
    assertThat(d.recheckAt()).contains(Instant.parse("2026-11-23T00:00:00Z"));
    assertThat(d.message()).contains("change freeze", "until 2026-11-23T00:00:00Z (Black Friday)");
  }

  @Test
  void aSeverityLimitedToWindowsWaitsForTheNextOpeningThenWaitsForApprovals() {
    HotfixPolicySpec spec = minorInWindows(List.of(Weekday.Sun), "02:00", "04:00");
    Hotfix h = hotfix(Severity.Minor, "alice");

    PolicyDecision outside = decide(h, Optional.of(policy(spec)), List.of());
    assertThat(outside.outcome()).isEqualTo(Outcome.SCHEDULED);
    assertThat(outside.recheckAt()).contains(Instant.parse("2026-11-22T01:00:00Z"));
    assertThat(outside.message()).contains("waiting for the maintenance window Sun 02:00-04:00 Europe/Berlin, which "
        + "opens at 2026-11-22T01:00:00Z");

    PolicyDecision inside = Governance.decide(h, Optional.of(policy(spec)), List.of(), IdentityProofs.NONE,
        Instant.parse("2026-11-22T01:30:00Z"));
    assertThat(inside.outcome()).as("approvals come after the window").isEqualTo(Outcome.AWAITING_APPROVAL);
  }

  @Test
  void aSeverityLimitedToWindowsInAPolicyWithoutWindowsWaitsForThePolicyToBeFixed() {
    HotfixPolicySpec spec = minorInWindows(List.of(Weekday.Sun), "02:00", "04:00");
    spec.maintenanceWindows = null;

    PolicyDecision d = decide(hotfix(Severity.Minor, "alice"), Optional.of(policy(spec)), List.of());

    assertThat(d.outcome()).isEqualTo(Outcome.POLICY_UNUSABLE);
    assertThat(d.message()).contains("spec.severities.Minor.maintenanceWindowOnly is true but the policy defines no "
        + "maintenanceWindows: add spec.maintenanceWindows");
  }

  @Test
  void anUnreadablePolicyHoldsTheHotfixWithWhatToFix() {
    HotfixPolicySpec spec = new HotfixPolicySpec();
    spec.freezeWindows = List.of(freeze("next tuesday", "2026-11-23T00:00:00Z", null));

    PolicyDecision d = decide(hotfix(Severity.Major, "alice"), Optional.of(policy(spec)), List.of());

    assertThat(d.outcome()).isEqualTo(Outcome.POLICY_UNUSABLE);
    assertThat(d.message()).contains("spec.freezeWindows[0].start \"next tuesday\" is not an RFC 3339 time",
        "waits until the policy is fixed");
  }

  @Test
  void identitiesAreVerifiedOnlyWhenTheWebhooksProofChecksOut() {
    Hotfix h = stamped(TEST_KEY, hotfix(Severity.Major, "alice"));
    List<HotfixApproval> approvals = List.of(stamped(TEST_KEY, approval("a1", "bob", Decision.Approve)));

    PolicyDecision verified = Governance.decide(h, Optional.empty(), approvals, TEST_KEY, NOW);

    assertThat(verified.requester()).hasValueSatisfying(r -> assertThat(r.verified()).isTrue());
    assertThat(verified.tally().orElseThrow().records()).singleElement().satisfies(r -> assertThat(r.verified).isTrue());
    assertThat(decide(h, Optional.empty(), approvals).requester()).as("without the key")
        .hasValueSatisfying(r -> assertThat(r.verified()).isFalse());
  }

  @Test
  void bareForgedOrMovedIdentityAnnotationsAreNeverVerified() {
    Hotfix bare = hotfix(Severity.Major, "alice");
    Hotfix otherKey = stamped(IdentityProofs.withKey(new byte[32]), hotfix(Severity.Major, "alice"));
    Hotfix renamed = stamped(TEST_KEY, hotfix(Severity.Major, "alice"));
    renamed.getMetadata().getAnnotations().put(IdentityAnnotations.REQUESTED_BY, "mallory");
    Hotfix otherImage = stamped(TEST_KEY, hotfix(Severity.Major, "alice"));
    otherImage.getSpec().severity = Severity.Critical;

    for (Hotfix h : List.of(bare, otherKey, renamed, otherImage)) {
      assertThat(Governance.decide(h, Optional.empty(), List.of(), TEST_KEY, NOW).requester())
          .hasValueSatisfying(r -> assertThat(r.verified()).isFalse());
    }
  }

  @Test
  void anApprovalForAnotherHotfixOfTheSameNameNeverCounts() {
    Hotfix recreated = hotfix(Severity.Major, "alice");
    recreated.getMetadata().setUid("uid-2");
    recreated.getMetadata().setCreationTimestamp("2026-11-21T09:00:00Z");
    HotfixApproval forTheFirst = approval("a5", "bob", Decision.Approve);
    forTheFirst.getMetadata().getAnnotations().put(IdentityAnnotations.HOTFIX_UID, "uid-1");
    HotfixApproval forThisOne = approval("a6", "carol", Decision.Approve);
    forThisOne.getMetadata().getAnnotations().put(IdentityAnnotations.HOTFIX_UID, "uid-2");

    PolicyDecision d = decide(recreated, Optional.empty(), List.of(forTheFirst));
    assertThat(d.outcome()).isEqualTo(Outcome.AWAITING_APPROVAL);
    assertThat(d.message()).contains("a5 (made for another Hotfix of the same name (uid uid-1), not this one "
        + "(uid uid-2): a recreated Hotfix needs new approvals)");

    assertThat(decide(recreated, Optional.empty(), List.of(forTheFirst, forThisOne)).outcome())
        .isEqualTo(Outcome.CLEARED);
  }

  private static HotfixPolicySpec minorInWindows(List<Weekday> days, String start, String end) {
    HotfixPolicySpec spec = new HotfixPolicySpec();
    spec.severities = new SeverityRules();
    spec.severities.minor = new SeverityRule();
    spec.severities.minor.allowed = true;
    spec.severities.minor.approvals = 1;
    spec.severities.minor.maintenanceWindowOnly = true;
    MaintenanceWindow w = new MaintenanceWindow();
    w.days = days;
    w.start = start;
    w.end = end;
    w.timeZone = "Europe/Berlin";
    spec.maintenanceWindows = new ArrayList<>(List.of(w));
    return spec;
  }

  private static PolicyDecision decide(Hotfix h, Optional<HotfixPolicy> policy, List<HotfixApproval> approvals) {
    return Governance.decide(h, policy, approvals, IdentityProofs.NONE, NOW);
  }

  static Hotfix hotfix(Severity severity, String requester) {
    Hotfix h = new Hotfix();
    h.getMetadata().setName("fix");
    h.getMetadata().setNamespace("shop");
    h.getMetadata().setAnnotations(new HashMap<>(Map.of(IdentityAnnotations.REQUESTED_BY, requester)));
    h.setSpec(new HotfixSpec());
    h.getSpec().severity = severity;
    return h;
  }

  static HotfixApproval approval(String name, String approver, Decision decision) {
    HotfixApproval a = new HotfixApproval();
    a.getMetadata().setName(name);
    a.getMetadata().setNamespace("shop");
    a.getMetadata().setCreationTimestamp("2026-11-21T09:0" + name.charAt(name.length() - 1) + ":00Z");
    a.getMetadata().setAnnotations(new HashMap<>());
    if (approver != null) {
      a.getMetadata().getAnnotations().put(IdentityAnnotations.APPROVED_BY, approver);
    }
    a.setSpec(new HotfixApprovalSpec());
    a.getSpec().hotfix = "fix";
    a.getSpec().decision = decision;
    return a;
  }

  private static HotfixPolicy policy(HotfixPolicySpec spec) {
    HotfixPolicy p = new HotfixPolicy();
    p.getMetadata().setName(HotfixPolicy.DEFAULT_NAME);
    p.getMetadata().setNamespace("shop");
    p.setSpec(spec);
    return p;
  }

  private static FreezeWindow freeze(String start, String end, String reason) {
    FreezeWindow f = new FreezeWindow();
    f.start = start;
    f.end = end;
    f.reason = reason;
    return f;
  }
}
