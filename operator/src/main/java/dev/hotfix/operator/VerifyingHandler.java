package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.RevisionRecord;
import dev.hotfix.api.v1alpha1.RollbackCause;
import dev.hotfix.health.ClusterHealth;
import dev.hotfix.health.Instants;
import dev.hotfix.health.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Verifying: the new revision is out; keep judging it for the bake period. A failure rolls
 * back at once; at the end of the bake the Deployment goes back to its owner's strategy and
 * the Hotfix succeeds.
 */
final class VerifyingHandler implements PhaseHandler {
  private final ClusterHealth health;
  private final VerificationChecks metricChecks;
  private final RollbackDecision rollback;

  VerifyingHandler(ClusterHealth health, VerificationChecks checks, RollbackDecision rollback) {
    this.health = health;
    this.metricChecks = checks;
    this.rollback = rollback;
  }

  @Override
  public Step handle(Observation o) throws WriteConflict {
    if (o.deployment().isEmpty()) {
      return Step.to(Phase.Failed, o.targetKind() + " " + o.hotfix().getSpec().target.name + " was deleted during "
          + "verification");
    }
    if (o.spec().abort()) {
      return Step.to(Phase.RollingBack, "rolling back: abort requested (spec.abort: true)")
          .rollingBackFor(RollbackCause.Abort, "abort requested (spec.abort: true)");
    }
    Optional<Step> superseded = OtherWriters.supersededBy(o, OtherWriters.expectedImages(o));
    if (superseded.isPresent()) {
      return superseded.get();
    }
    RevisionRecord applied = o.status().applied;
    Instant bakeStart = Instants.parse(o.status().bakeStartedAt, o.now());
    Instant bakeEnd = bakeStart.plus(o.spec().bake());
    // The bake is judged from its own start: a pod that stops being ready now has a fresh timeout.
    Verdict verdict = Exposure.exceeded(o)
        .orElseGet(() -> health.judge(o.revisionUnderTest(applied.podTemplateHash, bakeStart)));
    if (verdict.isFailed()) {
      return rollback.failure(o, verdict);
    }
    VerificationChecks.Round checks = metricChecks.run(o);
    if (checks.failure().isPresent()) {
      return rollback.failure(o, checks.failure().get()).with(checks.edit());
    }
    if (!o.now().isBefore(bakeEnd)) {
      List<String> notYetPassed = checks.notYetPassed();
      if (!notYetPassed.isEmpty()) {
        // No data is not health: the bake is over, but success needs one passing measurement of every check.
        return Step.stay(Phase.Verifying, "bake over for revision " + applied.revision + "; waiting for a passing "
            + "measurement of check " + String.join(", ", notYetPassed) + checks.summary(), checks.nextDue())
            .with(checks.edit());
      }
      return RollbackDecision.released(Step.to(Phase.Succeeded, "revision " + applied.revision + " ("
          + Revisions.describe(applied) + ") verified for " + o.spec().bake().toSeconds() + "s; the " + o.targetKind()
          + " goes back to its owner's rollout strategy"), Optional.of(applied.podTemplateHash)).with(checks.edit());
    }
    return Step.stay(Phase.Verifying, "verifying revision " + applied.revision + ": " + verdict.message()
        + checks.summary() + "; " + Duration.between(o.now(), bakeEnd).toSeconds() + "s of bake left",
        Instants.earliest(Instants.earliest(Optional.of(bakeEnd), verdict.recheckAt()), checks.nextDue()))
        .with(checks.edit());
  }
}
