package dev.hotfix.rollout;

import dev.hotfix.api.v1alpha1.RevisionRecord;
import dev.hotfix.api.v1alpha1.StrategyRecord;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import java.util.Optional;

/**
 * Every change the operator makes to a user's target, each one JSON Patch with the
 * resourceVersion precondition, with the {@link HotfixAnnotations} it carries: apply (the new
 * images, the Hotfix's strategy, the lock and the record of what was replaced), promote (a
 * StatefulSet canary's partition lowered), undo (a whole recorded pod template back) and release
 * (the lock off, the owner's strategy back). The phase handlers decide when; this says what.
 */
public final class TargetChanges {

  private TargetChanges() {
  }

  /**
   * The single write that starts a rollout.
   *
   * @param d the target (seen as a Deployment) as read now
   * @param hotfix the Hotfix's name, the lock's value
   * @param attempt the attempt token
   * @param previous the revision being replaced, which a rollback trusts as recorded here
   * @param lastKnownGood the rollback target when {@code previous} is already failing, or empty
   */
  public static DeploymentPatch apply(Deployment d, String hotfix, String attempt, RevisionRecord previous,
      Optional<RevisionRecord> lastKnownGood, Map<String, String> images, StrategyRecord strategy) {
    DeploymentPatch patch = DeploymentPatch.of(d)
        .annotate(HotfixAnnotations.ACTIVE, hotfix)
        .annotate(HotfixAnnotations.ATTEMPT, attempt)
        .annotate(HotfixAnnotations.PREVIOUS_REVISION, Serialization.asJson(previous))
        .images(images)
        .strategy(strategy);
    if (lastKnownGood.isPresent()) {
      patch.annotate(HotfixAnnotations.ROLLBACK_TARGET, Serialization.asJson(lastKnownGood.get()));
    } else {
      patch.removeAnnotation(HotfixAnnotations.ROLLBACK_TARGET); // a stale one copied back by rollout undo
    }
    return patch;
  }

  /** A StatefulSet canary passed: the Hotfix's strategy with the partition lowered, nothing else. */
  public static DeploymentPatch promote(Deployment d, StrategyRecord strategy) {
    return DeploymentPatch.of(d).strategy(strategy);
  }

  /** A rollback: the recorded revision's whole pod template back (what {@code kubectl rollout undo} sends). */
  public static DeploymentPatch undo(Deployment d, PodTemplateSpec template) {
    return DeploymentPatch.of(d).template(PodTemplates.withoutHash(template));
  }

  /**
   * Gives the target back to its owner: no Hotfix lock, their rollout strategy (as recorded on
   * the target itself: status could be forged), and the revision the Hotfix saw healthy as the
   * last known good when the target still runs it.
   */
  public static DeploymentPatch release(Deployment d, Optional<String> lastGoodHash,
      Optional<StrategyRecord> ownerStrategy) {
    DeploymentPatch patch = DeploymentPatch.of(d)
        .removeAnnotation(HotfixAnnotations.ACTIVE)
        .removeAnnotation(HotfixAnnotations.ATTEMPT)
        .removeAnnotation(HotfixAnnotations.ROLLBACK_TARGET)
        .removeAnnotation(HotfixAnnotations.PREVIOUS_REVISION);
    lastGoodHash.ifPresent(hash -> patch.annotate(HotfixAnnotations.LAST_GOOD, hash));
    ownerStrategy.ifPresent(patch::strategy);
    return patch;
  }
}
