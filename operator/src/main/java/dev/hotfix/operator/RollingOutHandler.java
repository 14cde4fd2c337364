package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.CanaryStatus;
import dev.hotfix.api.v1alpha1.ImageRecord;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.RevisionRecord;
import dev.hotfix.api.v1alpha1.RollbackCause;
import dev.hotfix.api.v1alpha1.StrategyRecord;
import dev.hotfix.api.v1alpha1.TargetKind;
import dev.hotfix.health.ClusterHealth;
import dev.hotfix.health.Instants;
import dev.hotfix.health.Verdict;
import dev.hotfix.rollout.DeploymentPatch;
import dev.hotfix.rollout.DeploymentRevisions;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * RollingOut: with {@code spec.rollout.canary}, first the canary ({@link CanaryStage}; a
 * StatefulSet's is held by its partition after the patch, {@link PartitionCanary}); then apply
 * the new images with the Hotfix's zero-downtime strategy (once, in one write), and judge the new
 * revision on every event; a failure rolls back at once.
 */
final class RollingOutHandler implements PhaseHandler {
  private final DeploymentWriter writer;
  private final ClusterHealth health;
  private final VerificationChecks metricChecks;
  private final RollbackDecision rollback;
  private final GovernanceGate governance;
  private final CanaryStage canary;
  private final PartitionCanary partitionCanary;

  RollingOutHandler(DeploymentWriter writer, ClusterHealth health, VerificationChecks checks, RollbackDecision rollback,
      GovernanceGate governance, CanaryStage canary) {
    this.writer = writer;
    this.health = health;
    this.metricChecks = checks;
    this.rollback = rollback;
    this.governance = governance;
    this.canary = canary;
    this.partitionCanary = new PartitionCanary(writer, health, metricChecks, rollback);
  }

  @Override
  public Step handle(Observation o) throws WriteConflict {
    if (o.deployment().isEmpty()) {
      return Step.to(Phase.Failed, o.targetKind() + " " + o.hotfix().getSpec().target.name + " was deleted during the "
          + "rollout: nothing left to roll back");
    }
    if (o.spec().abort()) {
      return Step.to(Phase.RollingBack, "rolling back: abort requested (spec.abort: true)")
          .rollingBackFor(RollbackCause.Abort, "abort requested (spec.abort: true)");
    }
    if (!o.holdsTarget()) {
      return patchOnce(o);
    }
    Optional<Step> superseded = OtherWriters.supersededBy(o, OtherWriters.expectedImages(o));
    if (superseded.isPresent()) {
      return superseded.get();
    }
    DeploymentRevisions revisions = o.target().get();
    Optional<ReplicaSet> newRs = revisions.current();
    Instant patchedAt = Instants.parse(o.status().startedAt, o.now());
    if (newRs.isEmpty()) {
      return Step.stay(Phase.RollingOut, "waiting for the " + o.targetKind() + " controller to create the new revision",
          Optional.of(patchedAt.plus(o.spec().progressDeadline())));
    }
    RevisionRecord applied = Revisions.record(revisions, newRs.get());
    applied.strategy = null;
    Optional<Step> heldAtPartition = partitionCanary.step(o, applied, patchedAt);
    if (heldAtPartition.isPresent()) {
      return heldAtPartition.get();
    }
    Instant startedAt = PartitionCanary.rolloutStart(o, patchedAt);
    Verdict verdict = Exposure.exceeded(o)
        .orElseGet(() -> health.judge(o.revisionUnderTest(applied.podTemplateHash, startedAt)));
    if (verdict.isFailed()) {
      return rollback.failure(o, verdict).with(s -> s.applied = applied);
    }
    // Metric checks run during the rollout too: a bad revision's first pods already show in the metrics.
    VerificationChecks.Round checks = metricChecks.run(o);
    if (checks.failure().isPresent()) {
      return rollback.failure(o, checks.failure().get()).with(s -> s.applied = applied).with(checks.edit());
    }
    if (verdict.isHealthy()) {
      Instant now = o.now();
      return Step.to(Phase.Verifying, "rolled out revision " + applied.revision + " (" + Revisions.describe(applied)
          + "); verifying for " + o.spec().bake().toSeconds() + "s")
          .with(s -> {
            s.applied = applied;
            s.bakeStartedAt = now.toString();
          }).with(checks.edit());
    }
    return new Step(Phase.RollingOut, "rolling out revision " + applied.revision + ": " + verdict.message()
        + checks.summary(),
        s -> s.applied = applied, Instants.earliest(verdict.recheckAt(), checks.nextDue())).with(checks.edit());
  }

  /** The rollout settings the patch wrote, as the target's kind has them. */
  private static String strategyWords(Observation o) {
    StrategyRecord s = o.spec().strategy(o.targetKind());
    if (o.targetKind() == TargetKind.StatefulSet && PartitionCanary.holds(o)) {
      int replicas = o.deployment().map(d -> d.getSpec().getReplicas()).orElse(1);
      int partition = CanaryPlan.of(o.hotfix().getSpec()).orElseThrow().partitionFor(replicas);
      return "partition " + partition + ": a canary of the " + (replicas - partition) + " highest ordinal(s) first, "
          + "the rest only after its verdict";
    }
    if (o.targetKind() == TargetKind.StatefulSet) {
      return "partition 0, maxUnavailable " + (s.maxUnavailable == null ? "1" : Revisions.describe(s.maxUnavailable))
          + ": pods replaced in place from the highest ordinal down";
    }
    return "maxSurge " + Revisions.describe(s.maxSurge) + ", maxUnavailable " + Revisions.describe(s.maxUnavailable);
  }

  /**
   * The single write that starts the rollout: new images, the Hotfix's strategy and the
   * annotations naming the holder and the previous revision. Made only when the policy clears
   * the Hotfix right now (decided again from spec, approvals and policy: a status that says
   * RollingOut proves nothing, anyone allowed to write status could have set it), and while the
   * Deployment still runs the recorded previous revision; anything else means someone else
   * changed it first.
   */
  private Step patchOnce(Observation o) throws WriteConflict {
    Deployment d = o.deployment().get();
    GovernanceGate.Ruling ruling = governance.rule(o);
    if (ruling.held().isPresent()) {
      Step held = ruling.held().get();
      return new Step(held.phase(), "not patching " + o.targetKind() + " " + d.getMetadata().getName() + ": status said "
          + Phase.RollingOut + ", but the policy does not clear this Hotfix: " + held.message(), held.edit(),
          held.recheckAt(), true).with(s -> {
            s.previous = null;
            s.applied = null;
            s.startedAt = null;
          });
    }
    RevisionRecord previous = o.status().previous;
    Optional<ReplicaSet> current = o.target().flatMap(DeploymentRevisions::current);
    if (previous == null || previous.images == null || current.isEmpty()) {
      return Step.to(Phase.Pending, "no previous revision of " + o.targetKind() + " " + d.getMetadata().getName() + " recorded "
          + "in status: recording it before any change");
    }
    Optional<String> holder = o.holder();
    if (holder.isPresent() && o.rivals().stream().anyMatch(h -> h.getMetadata().getName().equals(holder.get())
        && (!PendingHandler.phaseOf(h).isTerminal() || o.awaitsRelease(h)) && o.lockToken().filter(Observation.attemptOf(h)::equals)
        .isPresent())) {
      return Step.to(Phase.Pending, o.targetKind() + " " + d.getMetadata().getName() + " is held by Hotfix " + holder.get()
          + ": waiting for it to finish");
    }
    Map<String, String> recorded = Revisions.imagesOf(previous);
    if (!recorded.equals(o.targetImages())) {
      return Step.to(Phase.Superseded, o.targetKind() + " " + d.getMetadata().getName() + "'s images changed after revision "
          + previous.revision + " was recorded (now " + Revisions.describe(o.targetImages()) + "): stepping aside "
          + "without patching");
    }
    // the record on the Deployment is what a rollback trusts: it must name the revision running now
    if (!DeploymentRevisions.hashOf(current.get()).equals(previous.podTemplateHash)) {
      return Step.to(Phase.Superseded, o.targetKind() + " " + d.getMetadata().getName() + " runs "
          + OtherWriters.revisionLabel(current.get()) + ", not the revision recorded in status.previous (revision "
          + previous.revision + ", " + o.targetKind().revisionHolder() + " " + previous.replicaSet + "): stepping aside without patching");
    }
    // everything above holds for the canary's write too: it is the first change this attempt makes
    Optional<Step> canaryStep = canary.step(o);
    if (canaryStep.isPresent()) {
      return canaryStep.get();
    }
    DeploymentPatch patch = RolloutPatch.of(o, d, o.attempt(), previous, o.status().lastKnownGood);
    writer.patch(d, patch);
    RevisionRecord applied = new RevisionRecord();
    applied.images = o.spec().images().entrySet().stream().map(e -> new ImageRecord(e.getKey(), e.getValue())).toList();
    Optional<CanaryStatus> heldAtPartition = PartitionCanary.started(o, d);
    return new Step(Phase.RollingOut, "patched " + o.targetKind() + " " + d.getMetadata().getName() + " to "
        + Revisions.describe(o.spec().images()) + " (" + strategyWords(o) + ")",
        s -> {
          s.applied = applied;
          heldAtPartition.ifPresent(c -> s.canary = c);
        }, Optional.of(o.now().plus(o.spec().progressDeadline()))).noted();
  }
}
