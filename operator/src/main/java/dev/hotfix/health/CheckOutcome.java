package dev.hotfix.health;

import dev.hotfix.api.v1alpha1.CheckSpec;
import dev.hotfix.api.v1alpha1.CheckStatus;
import dev.hotfix.api.v1alpha1.RollbackCause;
import java.time.Instant;
import java.util.Optional;

/**
 * One round of one check.
 *
 * @param tally the check's tally after this round
 * @param failure the check's failure, when it passed a limit
 * @param nextDue when the Hotfix should come back for it without an event (its interval, a Job's deadline, a retry)
 */
public record CheckOutcome(CheckStatus tally, Optional<Verdict> failure, Optional<Instant> nextDue) {

  /** Nothing measured: the tally as it was, and no need to come back for this check before an event does. */
  public static CheckOutcome unchanged(CheckStatus tally) {
    return new CheckOutcome(tally, Optional.empty(), Optional.empty());
  }

  /**
   * Counts one measurement of a check against its limits; on a provider error below errorLimit,
   * the retry is due one interval on.
   *
   * @param failWhen the check's threshold, null for a check without one (a job or http check)
   */
  public static CheckOutcome counted(VerificationMetrics metrics, CheckContext c, CheckSpec spec, CheckStatus tally,
      Measurement m, Threshold failWhen) {
    metrics.measured(m);
    CheckTally.Outcome outcome = CheckTally.limits(spec).record(spec.name, tally, m, failWhen);
    Optional<Verdict> failure = outcome.failure().map(f -> Verdict.failed(RollbackCause.Check, f));
    failure.ifPresent(f -> metrics.faultDetected(c.hotfix().getMetadata().getUid(), m.at()));
    Optional<Instant> retry = m.result() == Measurement.Result.ERROR && failure.isEmpty()
        ? Optional.of(c.now().plus(c.interval())) : Optional.empty();
    return new CheckOutcome(outcome.tally(), failure, retry);
  }
}
