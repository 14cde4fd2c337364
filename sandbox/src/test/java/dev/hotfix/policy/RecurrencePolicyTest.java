package dev.hotfix.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixPolicy;
import dev.hotfix.api.v1alpha1.HotfixPolicySpec;
import dev.hotfix.api.v1alpha1.RecurrenceRule;
import dev.hotfix.api.v1alpha1.Severity;
import dev.hotfix.api.v1alpha1.TargetRef;
import dev.hotfix.policy.PolicyDecision.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The recurrence rule without a cluster: what counts, the window's edge, a policy it cannot apply. */
class RecurrencePolicyTest {
  private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

  /**
   * Each earlier Hotfix counts once (history and rival both name it), the new one counts itself,
   * one that never started or started before the window does not. Seen failing with the
   * de-duplication by uid left out of PriorHotfixes.plus (4 instead of 3).
   */
  @Test
  void eachStartedHotfixWithinTheWindowCountsOnceAndTheNewOneCountsItself() {
    PriorHotfixes prior = new PriorHotfixes(List.of(
        new PriorHotfixes.Prior("fix-a", "uid-a", NOW.minus(Duration.ofDays(6))),
        new PriorHotfixes.Prior("fix-old", "uid-old", NOW.minus(Duration.ofDays(7)).minusSeconds(1)),
        new PriorHotfixes.Prior("fix-rejected", "uid-r", null)), Optional.empty())
        .plus(List.of(new PriorHotfixes.Prior("fix-a", "uid-a", NOW.minus(Duration.ofDays(6))),
            new PriorHotfixes.Prior("fix-b", "uid-b", NOW.minus(Duration.ofDays(7)))));

    PolicyDecision d = Governance.decide(hotfix(), Optional.empty(), List.of(), IdentityProofs.NONE, NOW, prior);

    assertThat(d.outcome()).isEqualTo(Outcome.CLEARED);
    assertThat(d.recurrence()).hasValueSatisfying(r -> {
      assertThat(r.count()).isEqualTo(3);
      assertThat(r.recurs()).isTrue();
      assertThat(r.earlier()).containsExactly("fix-b", "fix-a");
    });
    assertThat(d.message()).endsWith("; recurring: 3 hot fixes to checkout in 7 days");
  }

  @Test
  void belowTheThresholdNothingIsSaid() {
    PriorHotfixes prior = new PriorHotfixes(List.of(new PriorHotfixes.Prior("fix-a", "uid-a", NOW.minusSeconds(60))),
        Optional.empty());

    PolicyDecision d = Governance.decide(hotfix(), Optional.empty(), List.of(), IdentityProofs.NONE, NOW, prior);

    assertThat(d.recurrence()).hasValueSatisfying(r -> assertThat(r.recurs()).isFalse());
    assertThat(d.message()).doesNotContain("recurring");
  }

  /** A policy stored without the schema's checks gets a clear answer, and the Hotfix waits. */
  @Test
  void aWindowTheOperatorCannotReadMakesThePolicyUnusable() {
    HotfixPolicySpec spec = new HotfixPolicySpec();
    spec.recurrence = new RecurrenceRule();
    spec.recurrence.window = "one week";
    HotfixPolicy policy = new HotfixPolicy();
    policy.getMetadata().setName(HotfixPolicy.DEFAULT_NAME);
    policy.setSpec(spec);

    PolicyDecision d = Governance.decide(hotfix(), Optional.of(policy), List.of(), IdentityProofs.NONE, NOW);

    assertThat(d.outcome()).isEqualTo(Outcome.POLICY_UNUSABLE);
    assertThat(d.message()).contains("spec.recurrence.window \"one week\" is not a duration: write a number and d, h "
        + "or m, e.g. 7d or 36h");
  }

  @ParameterizedTest
  @CsvSource({"7d, 7 days", "1d, 1 day", "36h, 36 hours", "1h, 1 hour", "90m, 90 minutes"})
  void windowsAreSaidInWords(String window, String words) {
    assertThat(RecurrencePolicy.inWords(window)).isEqualTo(words);
  }

  private static Hotfix hotfix() {
    Hotfix h = GovernanceTest.hotfix(Severity.Critical, "alice");
    h.getMetadata().setUid("uid-new");
    h.getSpec().target = new TargetRef();
    h.getSpec().target.name = "checkout";
    return h;
  }
}
