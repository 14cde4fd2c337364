package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.DeletionAction;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.RollbackCause;
import java.util.Optional;

/**
 * A Hotfix deleted while it changes the Deployment (RollingOut, Verifying) does what
 * {@code spec.rollback.onDelete} says before its finalizer lets it go: {@code RollBack} turns
 * the deletion into an abort (restore the recorded revision); {@code Leave} keeps the new
 * revision, unverified, and gives the Deployment back to its owner. A rollback already under way
 * finishes either way: stopping it halfway would leave neither revision settled.
 */
final class DeletionHandling {
  /** The step a deletion forces, empty when the Hotfix is not being deleted or its phase decides alone. */
  Optional<Step> step(Observation o) {
    boolean changing = o.phase().isJudging();
    if (!o.hotfix().isMarkedForDeletion() || !changing || o.deployment().isEmpty()) {
      return Optional.empty();
    }
    if (o.spec().onDelete() == DeletionAction.RollBack) {
      return Optional.of(Step.to(Phase.RollingBack, "rolling back: the Hotfix was deleted during " + o.phase()
          + " (spec.rollback.onDelete: RollBack)")
          .rollingBackFor(RollbackCause.Deleted, "the Hotfix was deleted (spec.rollback.onDelete: RollBack)"));
    }
    boolean patched = o.holdsTarget();
    String left = patched ? o.targetKind() + " " + o.deployment().get().getMetadata().getName() + " keeps "
        + Revisions.describe(OtherWriters.expectedImages(o)) + " unverified, back on its owner's rollout strategy"
        : o.targetKind() + " " + o.deployment().get().getMetadata().getName() + " was not patched yet and is unchanged";
    return Optional.of(RollbackDecision.released(Step.to(Phase.Failed, "the Hotfix was deleted during " + o.phase()
        + " with spec.rollback.onDelete: Leave: " + left + "; check it by hand"), Optional.empty()));
  }
}
