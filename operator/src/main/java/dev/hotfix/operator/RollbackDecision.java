package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.ReleaseRecord;
import dev.hotfix.api.v1alpha1.RevisionRecord;
import dev.hotfix.health.Verdict;
import dev.hotfix.health.VerificationMetrics;
import java.util.Optional;

/**
 * What a failed verdict leads to: a rollback (to the replaced revision, or the last known good),
 * Failed when automatic rollback is off or nothing healthy is left to go back to; and the
 * detection-to-rollback measurement those decisions start and end.
 */
final class RollbackDecision {
  private final VerificationMetrics metrics;

  RollbackDecision(VerificationMetrics metrics) {
    this.metrics = metrics;
  }

  /** A check failed: roll back, or stop in Failed when automatic rollback is off. */
  Step failure(Observation o, Verdict v) {
    if (o.spec().automaticRollback() && rollbackTarget(o).isEmpty()) {
      return noSafeRollback(o, v.message());
    }
    if (o.spec().automaticRollback()) {
      metrics.faultDetected(o.hotfix().getMetadata().getUid(), o.now());
      return Step.to(Phase.RollingBack, "rolling back: " + v.message()).rollingBackFor(v.cause(), v.message());
    }
    return released(Step.to(Phase.Failed, v.message() + "; automatic rollback is off (spec.rollback.automatic: "
        + "false), so the new revision stays in place for a human to decide"), Optional.empty());
  }

  /**
   * A rollback is due but there is nothing healthy to go back to: the replaced revision was
   * already failing and no revision is known good. Rolling back would restore the outage and
   * call it success, so the Hotfix stops in Failed (which alerts) and leaves the Deployment as it is.
   */
  Step noSafeRollback(Observation o, String why) {
    RevisionRecord previous = o.status().previous;
    String target = o.hotfix().getSpec().target.name;
    return released(Step.to(Phase.Failed, why + "; NOT rolled back: the previous revision " + previous.revision + " ("
        + Revisions.describe(previous) + ") was already broken before this Hotfix (" + previous.failing + ") and no "
        + "revision is known good, so a rollback would restore an outage; " + o.targetKind() + " " + target + " is left on "
        + Revisions.describe(o.targetImages()) + " (its owner's rollout strategy restored) for a human to fix"),
        Optional.empty());
  }

  /**
   * What a rollback restores: the replaced revision when it was healthy, else the last revision
   * known good; empty when the replaced revision was failing and none is known good.
   */
  static Optional<RevisionRecord> rollbackTarget(Observation o) {
    RevisionRecord previous = o.status().previous;
    // whether it was failing, and what else is good, as recorded on the Deployment: status alone must not steer
    boolean failing = o.recordedPrevious().map(r -> r.failing != null).orElse(previous.failing != null);
    return failing ? o.recordedRollbackTarget() : Optional.of(previous);
  }

  /**
   * A failed canary was removed: for a canary that is the whole rollback (the Deployment never
   * changed), so it ends the detection-to-rollback measurement.
   */
  void canaryRemoved(Observation o) {
    metrics.faultDetected(o.hotfix().getMetadata().getUid(), o.now());
    metrics.rollbackPatched(o.hotfix().getMetadata().getUid());
  }

  /** The rollback patch is on the target: ends the detection-to-rollback measurement. */
  void rollbackPatched(Observation o) {
    metrics.rollbackPatched(o.hotfix().getMetadata().getUid());
  }

  /**
   * {@code terminal}, recording that the Deployment goes back to its owner once that phase is
   * stored ({@link Finisher}); with the hash of the revision the Hotfix ends on and saw healthy,
   * recorded as the last known good.
   */
  static Step released(Step terminal, Optional<String> healthyHash) {
    return terminal.with(s -> s.release = new ReleaseRecord(healthyHash.orElse(null)));
  }
}
