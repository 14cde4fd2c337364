package dev.hotfix.policy;

import static dev.hotfix.policy.GovernanceTest.approval;
import static dev.hotfix.policy.GovernanceTest.hotfix;
import static dev.hotfix.testing.IdentityStamps.TEST_KEY;
import static dev.hotfix.testing.IdentityStamps.stamped;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hotfix.api.v1alpha1.Approvers;
import dev.hotfix.api.v1alpha1.Bounds;
import dev.hotfix.api.v1alpha1.ContainerImage;
import dev.hotfix.api.v1alpha1.Decision;
import dev.hotfix.api.v1alpha1.DeletionAction;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixApproval;
import dev.hotfix.api.v1alpha1.HotfixPolicy;
import dev.hotfix.api.v1alpha1.HotfixPolicySpec;
import dev.hotfix.api.v1alpha1.ImageRules;
import dev.hotfix.api.v1alpha1.RollbackSpec;
import dev.hotfix.api.v1alpha1.RolloutSpec;
import dev.hotfix.api.v1alpha1.SafetyLimits;
import dev.hotfix.api.v1alpha1.Severity;
import dev.hotfix.api.v1alpha1.VerificationSpec;
import dev.hotfix.policy.PolicyDecision.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a HotfixPolicy lets a requester choose: images, the settings that weaken the safety net,
 * the ranges of deadlines, and who may declare break-glass Critical. Each refusal was seen
 * failing with its check in SpecLimits (or the break-glass rule in Governance) taken out.
 */
class SpecLimitsTest {
  private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

  @ParameterizedTest(name = "{0} against {1}: {2}")
  @CsvSource({
      "registry.example.com/shop/checkout:1.2,   registry.example.com/shop/*,  true",
      "registry.example.com/shop/team/x:1.2,     registry.example.com/shop/*,  false",
      "registry.example.com/shop/team/x:1.2,     registry.example.com/**,      true",
      "registry.example.com.evil.io/shop/x:1.2,  registry.example.com/**,      false",
      "REGISTRY.example.com:5000/shop/x:1.2,     registry.example.com:5000/**, true",
      "nginx:1.27,                               docker.io/library/*,          true",
      "evil/nginx:1.27,                          docker.io/library/*,          false",
      "registry.example.com/checkout@sha256:0123456789abcdef0123456789abcdef, registry.example.com/checkout, true",
  })
  void anImageShipsOnlyFromAnAllowedRepository(String image, String allowed, boolean admitted) {
    PolicyDecision d = decide(critical(image, s -> { }), p -> {
      p.images = new ImageRules();
      p.images.allowedRepositories = List.of(allowed);
    });

    assertThat(d.outcome()).isEqualTo(admitted ? Outcome.CLEARED : Outcome.REJECTED);
    if (!admitted) {
      assertThat(d.message()).contains("is not in spec.images.allowedRepositories [" + allowed + "] of HotfixPolicy "
          + "default in namespace shop");
    }
  }

  @Test
  void aRequiredDigestRefusesATagAlone() {
    Consumer<HotfixPolicySpec> digests = p -> {
      p.images = new ImageRules();
      p.images.requireDigest = true;
    };

    PolicyDecision tagged = decide(critical("registry.example.com/checkout:1.4.2", s -> { }), digests);
    PolicyDecision digested = decide(critical("registry.example.com/checkout:1.4.2@sha256:"
        + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", s -> { }), digests);

    assertThat(tagged.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(tagged.message()).contains("not pinned by digest", "spec.images.requireDigest",
        "registry.example.com/checkout@sha256:<digest>");
    assertThat(digested.outcome()).isEqualTo(Outcome.CLEARED);
  }

  @Test
  void theSettingsThatWeakenTheSafetyNetAreRefusedByDefaultNamingThePolicyField() {
    Hotfix h = critical("registry.example.com/checkout:2", s -> {
      s.rollout.allowDowntime = true;
      s.rollback.automatic = false;
      s.rollback.onDelete = DeletionAction.Leave;
    });

    PolicyDecision builtIn = Governance.decide(h, Optional.empty(), List.of(), IdentityProofs.NONE, NOW);
    PolicyDecision partial = decide(h, p -> p.limits = new SafetyLimits());

    for (PolicyDecision d : List.of(builtIn, partial)) {
      assertThat(d.outcome()).isEqualTo(Outcome.REJECTED);
      assertThat(d.message()).contains("spec.rollout.allowDowntime: true is not allowed",
          "spec.limits.allowDowntime: true", "spec.rollback.automatic: false is not allowed",
          "spec.limits.allowDisablingAutomaticRollback: true", "spec.rollback.onDelete: Leave is not allowed",
          "spec.limits.allowLeaveOnDelete: true");
    }
    assertThat(builtIn.message()).contains("by the built-in policy");
  }

  @Test
  void aPolicyMayAllowThemOneByOne() {
    Hotfix h = critical("registry.example.com/checkout:2", s -> {
      s.rollout.allowDowntime = true;
      s.rollback.automatic = false;
    });

    PolicyDecision downtimeOnly = decide(h, p -> {
      p.limits = new SafetyLimits();
      p.limits.allowDowntime = true;
    });
    PolicyDecision both = decide(h, p -> {
      p.limits = new SafetyLimits();
      p.limits.allowDowntime = true;
      p.limits.allowDisablingAutomaticRollback = true;
    });

    assertThat(downtimeOnly.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(downtimeOnly.message()).doesNotContain("allowDowntime").contains("spec.rollback.automatic: false");
    assertThat(both.outcome()).isEqualTo(Outcome.CLEARED);
  }

  @Test
  void deadlinesBakeAndRestartsStayInTheirRangesAndALeftOutValueCountsAsItsDefault() {
    Consumer<HotfixPolicySpec> ranges = p -> {
      p.limits = new SafetyLimits();
      p.limits.bakeSeconds = new Bounds(300, null);
      p.limits.progressDeadlineSeconds = new Bounds(null, 600);
      p.limits.podReadyTimeoutSeconds = new Bounds(10, 60);
      p.limits.maxRestarts = new Bounds(null, 2);
    };

    PolicyDecision defaults = decide(critical("registry.example.com/checkout:2", s -> { }), ranges);
    PolicyDecision outside = decide(critical("registry.example.com/checkout:2", s -> {
      s.verification.bakeSeconds = 600;
      s.rollout.progressDeadlineSeconds = 3600;
      s.rollout.podReadyTimeoutSeconds = 30;
      s.rollout.maxRestarts = 5;
    }), ranges);

    assertThat(defaults.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(defaults.message()).contains("spec.verification.bakeSeconds is 120 but spec.limits.bakeSeconds of "
        + "HotfixPolicy default in namespace shop requires at least 300", "spec.rollout.podReadyTimeoutSeconds is 120 "
        + "but spec.limits.podReadyTimeoutSeconds", "requires at least 10 and at most 60")
        .doesNotContain("progressDeadlineSeconds", "maxRestarts");
    assertThat(outside.message()).contains("spec.rollout.progressDeadlineSeconds is 3600", "at most 600",
        "spec.rollout.maxRestarts is 5").doesNotContain("bakeSeconds", "podReadyTimeoutSeconds");
  }

  @Test
  void aCriticalFromSomeoneOutsideTheBreakGlassListIsGovernedAsMajor() {
    Consumer<HotfixPolicySpec> oncall = p -> {
      p.breakGlass = new Approvers();
      p.breakGlass.groups = List.of("sre-oncall");
    };
    Hotfix outsider = verifiedRequester(critical("registry.example.com/checkout:2", s -> { }), "mallory", "dev");
    Hotfix onCall = verifiedRequester(critical("registry.example.com/checkout:2", s -> { }), "carol", "sre-oncall");
    Hotfix claimed = critical("registry.example.com/checkout:2", s -> { });
    claimed.getMetadata().getAnnotations().put(IdentityAnnotations.REQUESTED_BY_GROUPS, "sre-oncall");

    PolicyDecision refused = Governance.decide(outsider, Optional.of(policy(oncall)), List.of(), TEST_KEY, NOW);
    PolicyDecision member = Governance.decide(onCall, Optional.of(policy(oncall)), List.of(), TEST_KEY, NOW);
    PolicyDecision unverified = Governance.decide(claimed, Optional.of(policy(oncall)), List.of(), IdentityProofs.NONE, NOW);

    assertThat(refused.outcome()).isEqualTo(Outcome.AWAITING_APPROVAL);
    assertThat(refused.governedAs()).contains(Severity.Major);
    assertThat(refused.breakGlassCleared()).isFalse();
    assertThat(refused.message()).startsWith("Critical from mallory is governed as Major: only spec.breakGlass "
        + "(users [], groups [sre-oncall]) of HotfixPolicy default in namespace shop may declare break-glass Critical; "
        + "waiting for 1 more approval");
    assertThat(member.outcome()).isEqualTo(Outcome.CLEARED);
    assertThat(member.breakGlassCleared()).isTrue();
    assertThat(unverified.outcome()).as("a group a client wrote proves nothing").isEqualTo(Outcome.AWAITING_APPROVAL);
    assertThat(unverified.message()).startsWith("Critical from alice (identity not verified) is governed as Major");
  }

  /** Seen failing (60k characters) with every repeat recorded and every decision named. */
  @Test
  void fourHundredRepeatedApprovalsCountOnceAndKeepTheDecisionSmall() {
    List<HotfixApproval> flood = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      HotfixApproval a = approval("flood-" + i + "-0", i % 2 == 0 ? "alice" : "bob", Decision.Approve);
      flood.add(a);
    }
    Hotfix major = hotfix(Severity.Major, "alice");

    PolicyDecision d = Governance.decide(major, Optional.of(policy(p -> p.severities = null)), flood, IdentityProofs.NONE, NOW);
    PolicyDecision twoNeeded = Governance.decide(major, Optional.of(policy(p -> {
      p.severities = new dev.hotfix.api.v1alpha1.SeverityRules();
      p.severities.major = new dev.hotfix.api.v1alpha1.SeverityRule();
      p.severities.major.approvals = 2;
    })), flood, IdentityProofs.NONE, NOW);

    assertThat(d.outcome()).isEqualTo(Outcome.CLEARED);
    assertThat(d.tally().orElseThrow().records()).extracting(r -> r.approver).containsExactly("alice", "bob");
    assertThat(twoNeeded.outcome()).as("bob counts once").isEqualTo(Outcome.AWAITING_APPROVAL);
    assertThat(twoNeeded.message()).contains("(1 of 2)", "flood-0-0 (self-approval", "(396 more)")
        .hasSizeLessThan(1024);
  }

  private static Hotfix critical(String image, Consumer<dev.hotfix.api.v1alpha1.HotfixSpec> edit) {
    Hotfix h = hotfix(Severity.Critical, "alice");
    h.getSpec().containers = List.of(new ContainerImage("app", image));
    h.getSpec().rollout = new RolloutSpec();
    h.getSpec().rollback = new RollbackSpec();
    h.getSpec().verification = new VerificationSpec();
    edit.accept(h.getSpec());
    return h;
  }

  private static Hotfix verifiedRequester(Hotfix h, String user, String group) {
    h.getMetadata().getAnnotations().put(IdentityAnnotations.REQUESTED_BY, user);
    h.getMetadata().getAnnotations().put(IdentityAnnotations.REQUESTED_BY_GROUPS, group);
    return stamped(TEST_KEY, h);
  }

  private static PolicyDecision decide(Hotfix h, Consumer<HotfixPolicySpec> rules) {
    return Governance.decide(h, Optional.of(policy(rules)), List.of(), IdentityProofs.NONE, NOW);
  }

  private static HotfixPolicy policy(Consumer<HotfixPolicySpec> rules) {
    HotfixPolicy p = new HotfixPolicy();
    p.getMetadata().setName(HotfixPolicy.DEFAULT_NAME);
    p.getMetadata().setNamespace("shop");
    p.setSpec(new HotfixPolicySpec());
    rules.accept(p.getSpec());
    return p;
  }
}
