package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.RevisionRecord;
import dev.hotfix.api.v1alpha1.TargetKind;
import dev.hotfix.health.ClusterHealth;
import dev.hotfix.health.Instants;
import dev.hotfix.health.Verdict;
import dev.hotfix.rollout.DeploymentRevisions;
import dev.hotfix.rollout.HotfixAnnotations;
import dev.hotfix.rollout.PodTemplates;
import dev.hotfix.rollout.TargetChanges;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * RollingBack: restore the exact pod template of the recorded previous revision from its
 * ReplicaSet (as {@code kubectl rollout undo} does), still with the zero-downtime strategy,
 * and wait until it is healthy. A rollback that cannot become healthy ends Failed, loudly.
 */
final class RollingBackHandler implements PhaseHandler {
  private final DeploymentWriter writer;
  private final ClusterHealth health;
  private final RollbackDecision rollback;
  private final StuckPods stuckPods;

  RollingBackHandler(DeploymentWriter writer, ClusterHealth health, RollbackDecision rollback, StuckPods stuckPods) {
    this.writer = writer;
    this.health = health;
    this.rollback = rollback;
    this.stuckPods = stuckPods;
  }

  @Override
  public Step handle(Observation o) throws WriteConflict {
    RevisionRecord previous = o.status().previous;
    if (o.deployment().isEmpty()) {
      return Step.to(Phase.Failed, o.targetKind() + " " + o.hotfix().getSpec().target.name + " was deleted during the "
          + "rollback");
    }
    Deployment d = o.deployment().get();
    DeploymentRevisions revisions = o.target().get();
    if (previous == null) {
      return Step.to(Phase.Failed, "cannot roll back: status.previous records no revision, so this Hotfix never "
          + "recorded what it replaced; " + o.targetKind() + " " + d.getMetadata().getName() + " was not touched");
    }
    if (!o.holdsTarget()) {
      // Never patched (abort before the rollout started): nothing to undo.
      if (o.status().rollbackStartedAt == null && Revisions.imagesOf(previous).equals(o.targetImages())) {
        return Step.to(Phase.RolledBack, "nothing to undo: " + o.targetKind() + " " + d.getMetadata().getName()
            + " still runs revision " + previous.revision + " (" + Revisions.describe(previous) + ")");
      }
      return Step.to(Phase.Superseded, o.targetKind() + " " + d.getMetadata().getName() + " was rewritten by someone else "
          + "during the rollback: stepping aside without touching it again");
    }
    Optional<String> forged = mismatchWithDeploymentRecord(o, previous);
    if (forged.isPresent()) {
      return Step.to(Phase.Failed, "cannot roll back: " + forged.get() + "; status may have been written by someone "
          + "other than the operator, so nothing was changed: restore the recorded revision by hand "
          + "(kubectl rollout undo deployment/" + d.getMetadata().getName() + " --to-revision=N) after checking it");
    }
    Optional<RevisionRecord> rollbackTarget = RollbackDecision.rollbackTarget(o);
    if (rollbackTarget.isEmpty()) {
      return rollback.noSafeRollback(o, "rollback requested (" + o.status().rollbackReason + ")");
    }
    RevisionRecord target = rollbackTarget.get();
    Optional<ReplicaSet> previousRs = revisions.byHash(target.podTemplateHash);
    if (previousRs.isEmpty()) {
      return Step.to(Phase.Failed, "cannot roll back: " + o.targetKind().revisionHolder() + " " + target.replicaSet + " of revision "
          + target.revision + " no longer exists, so its exact pod template is lost; restore "
          + Revisions.describe(target) + " by hand");
    }
    ReplicaSet rs = previousRs.get();
    if (!PodTemplates.equalIgnoringHash(rs.getSpec().getTemplate(), d.getSpec().getTemplate())) {
      if (o.status().rollbackStartedAt != null && !OtherWriters.appliedReplicaSet(o)
          .map(a -> PodTemplates.equalIgnoringHash(a.getSpec().getTemplate(), d.getSpec().getTemplate()))
          .orElse(true)) {
        return Step.to(Phase.Superseded, o.targetKind() + " " + d.getMetadata().getName() + "'s pod template was changed "
            + "by someone else during the rollback: stepping aside without touching it again");
      }
      writer.patch(d, TargetChanges.undo(d, rs.getSpec().getTemplate()));
      rollback.rollbackPatched(o);
      Instant now = o.now();
      return new Step(Phase.RollingBack, "restored the pod template of " + OtherWriters.revisionLabel(rs)
          + "; waiting for it to become healthy",
          s -> s.rollbackStartedAt = s.rollbackStartedAt == null ? now.toString() : s.rollbackStartedAt,
          Optional.of(now.plus(o.spec().progressDeadline()))).noted();
    }
    Instant started = Instants.parse(o.status().rollbackStartedAt, o.now());
    if (o.targetKind() == TargetKind.StatefulSet) {
      unblock(o, target.podTemplateHash);
    }
    Verdict verdict = health.judge(o.revisionUnderTest(target.podTemplateHash, started));
    if (verdict.isFailed()) {
      return Step.to(Phase.Failed, "ROLLBACK FAILED: the restored " + OtherWriters.revisionLabel(rs)
          + " did not become healthy: " + verdict.message() + "; needs a human now");
    }
    if (verdict.isHealthy()) {
      return RollbackDecision.released(Step.to(Phase.RolledBack, "rolled back to " + (target == previous ? ""
          : "the last known good ") + "revision " + target.revision + " (" + Revisions.describe(target)
          + ", " + o.targetKind().revisionHolder() + " " + rs.getMetadata().getName() + ", now revision " + DeploymentRevisions.revisionOf(rs)
          + "): " + o.status().rollbackReason), Optional.of(target.podTemplateHash));
    }
    return Step.stay(Phase.RollingBack, "rolling back to " + OtherWriters.revisionLabel(rs) + ": "
        + verdict.message(), verdict.recheckAt());
  }

  /**
   * A StatefulSet's forced rollback ({@link StuckPods}): its pods of any other revision that are
   * not ready are deleted, so the controller recreates them from the restored template instead of
   * waiting for them. Ready pods are left to the controller's own ordered replacement. The
   * requester is not asked again: these pods exist only because of the Hotfix's own patch.
   */
  private void unblock(Observation o, String restoredHash) {
    for (Pod pod : o.pods()) {
      String hash = pod.getMetadata().getLabels() == null ? null
          : pod.getMetadata().getLabels().get(PodTemplates.HASH_LABEL);
      if (pod.getMetadata().getDeletionTimestamp() == null && hash != null && !hash.equals(restoredHash)
          && !Readiness.isPodReady(pod)) {
        stuckPods.delete(pod);
      }
    }
  }

  /**
   * Why {@code status.previous} is not the revision the operator recorded on the Deployment when
   * it patched (the {@link HotfixAnnotations#PREVIOUS_REVISION} annotation),
   * empty when they agree: only that record may steer a rollback.
   */
  private static Optional<String> mismatchWithDeploymentRecord(Observation o, RevisionRecord previous) {
    Optional<RevisionRecord> recorded = o.recordedPrevious();
    if (recorded.isEmpty()) {
      return Optional.of(o.targetKind() + " " + o.deployment().get().getMetadata().getName() + " has no readable record of "
          + "the revision this Hotfix replaced (annotation " + HotfixAnnotations.PREVIOUS_REVISION
          + ")");
    }
    RevisionRecord r = recorded.get();
    if (!Objects.equals(r.podTemplateHash, previous.podTemplateHash)) {
      return Optional.of("status.previous names revision " + previous.revision + " (" + o.targetKind().revisionHolder() + " " + previous.replicaSet
          + "), but the operator recorded revision " + r.revision + " (" + o.targetKind().revisionHolder() + " " + r.replicaSet + ") on " + o.targetKind() + " "
          + o.deployment().get().getMetadata().getName() + " when it patched");
    }
    return Optional.empty();
  }
}
