package dev.hotfix.health;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The cluster's own judgement of one revision, on every event: its pods (crash loops, pull
 * errors, restarts, readiness) and its rollout's progress, as {@code kubectl rollout status}
 * judges the target's kind. The first FAIL fails the revision at once; anything not yet decided
 * waits until an event or the earliest recheck. Metric, job and http checks are measured on their
 * interval elsewhere (the operator's VerificationChecks).
 */
public final class ClusterHealth {
  private final List<HealthCheck> checks = List.of(new PodFaults(), new RolloutProgress());

  /** The verdict on {@code revision} now. */
  public Verdict judge(RevisionUnderTest revision) {
    Optional<Instant> recheck = Optional.empty();
    String waiting = null;
    for (HealthCheck check : checks) {
      Measurement m = check.measure(revision);
      if (m.result() == Measurement.Result.FAIL) {
        return Verdict.failed(check.cause(), m.message());
      }
      if (m.result() != Measurement.Result.PASS) {
        waiting = waiting == null ? m.message() : waiting;
        Optional<Instant> next = check.recheckAt(revision);
        recheck = recheck.isEmpty() || (next.isPresent() && next.get().isBefore(recheck.get())) ? next : recheck;
      }
    }
    return waiting == null ? Verdict.healthy("healthy") : Verdict.pending(waiting, recheck);
  }
}
