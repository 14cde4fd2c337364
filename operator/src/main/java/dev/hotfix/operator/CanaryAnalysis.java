package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.CanaryStatus;
import dev.hotfix.api.v1alpha1.CanaryVerdict;
import dev.hotfix.api.v1alpha1.HotfixStatus;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.health.Instants;
import dev.hotfix.health.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The analysis window both canaries share (a Deployment's canary ReplicaSet, a StatefulSet's
 * partition): once the canary's pods are ready, every check is measured on its interval until
 * {@code status.analysisEndsAt}; the first failure fails the canary, and the verdict Passed needs
 * one passing measurement of every check (no data is not health). The canaries differ only in
 * how they fail and what they write, which the caller gives.
 */
final class CanaryAnalysis {

  /** How a canary fails: its rollback step for a verdict. */
  @FunctionalInterface
  interface Failing {
    Step fail(Verdict verdict) throws WriteConflict;
  }

  private CanaryAnalysis() {
  }

  /**
   * The step of a canary under analysis.
   *
   * @param status the canary's status, a copy being edited (its verdict is set when it passes)
   * @param record the status edit that stores {@code status}
   * @param afterPassing what happens once it passed, for the message (e.g. "rolling out to the Deployment")
   */
  static Step step(Observation o, VerificationChecks checks, CanaryStatus status, Duration analysis,
      Consumer<HotfixStatus> record, Failing failing, String afterPassing) throws WriteConflict {
    VerificationChecks.Round round = checks.run(o);
    if (round.failure().isPresent()) {
      return failing.fail(round.failure().get()).with(round.edit());
    }
    Instant ends = Instant.parse(status.analysisEndsAt);
    if (o.now().isBefore(ends)) {
      return new Step(Phase.RollingOut, "canary: " + status.readyPods + " of " + status.pods + " pod(s) ready, "
          + Duration.between(o.now(), ends).toSeconds() + "s of analysis left" + round.summary(), record,
          Instants.earliest(Optional.of(ends), round.nextDue())).with(round.edit());
    }
    List<String> notYetPassed = round.notYetPassed();
    if (!notYetPassed.isEmpty()) {
      return new Step(Phase.RollingOut, "canary analysis over; waiting for a passing measurement of check "
          + String.join(", ", notYetPassed) + round.summary(), record, round.nextDue()).with(round.edit());
    }
    status.verdict = CanaryVerdict.Passed;
    return new Step(Phase.RollingOut, "canary passed: " + status.pods + " pod(s) healthy for " + analysis.toSeconds()
        + "s" + round.summary() + "; " + afterPassing, record, Optional.of(o.now())).with(round.edit()).noted();
  }
}
