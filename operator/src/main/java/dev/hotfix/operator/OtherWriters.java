package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.RevisionRecord;
import dev.hotfix.rollout.DeploymentRevisions;
import dev.hotfix.rollout.HotfixAnnotations;
import dev.hotfix.rollout.ImageIntent;
import dev.hotfix.rollout.PodTemplates;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.Map;
import java.util.Optional;

/**
 * Whether someone else wrote the target while the Hotfix held it (a person, Argo CD self-heal,
 * Flux), judged against what the Hotfix recorded it wrote; and how a revision is named in
 * messages.
 */
final class OtherWriters {

  private OtherWriters() {
  }

  /**
   * A step to Superseded when someone else changed the Deployment's pod template since the
   * Hotfix applied its own (a person, Argo CD self-heal, Flux): the operator steps aside and
   * never writes again.
   */
  static Optional<Step> supersededBy(Observation o, Map<String, String> expectedImages) {
    Deployment d = o.deployment().orElseThrow();
    if (!o.holdsTarget()) {
      return Optional.of(Step.to(Phase.Superseded, o.targetKind() + " " + d.getMetadata().getName() + " was rewritten by "
          + "someone else (the " + HotfixAnnotations.ACTIVE + " annotation is gone" + changedImages(o, expectedImages)
          + "): stepping aside without touching it again"));
    }
    boolean imagesChanged = !ImageIntent.allOurs(expectedImages, o.targetImages());
    boolean templateChanged = appliedReplicaSet(o)
        .map(rs -> !PodTemplates.equalIgnoringHash(rs.getSpec().getTemplate(), d.getSpec().getTemplate()))
        .orElse(false);
    if (imagesChanged || templateChanged) {
      return Optional.of(Step.to(Phase.Superseded, o.targetKind() + " " + d.getMetadata().getName() + "'s pod template was "
          + "changed by someone else" + changedImages(o, expectedImages) + ": stepping aside without touching it "
          + "again"));
    }
    return Optional.empty();
  }

  /**
   * The images the Hotfix put on the Deployment, as recorded when it patched (the spec's images
   * cannot change, but the record is what was actually written).
   */
  static Map<String, String> expectedImages(Observation o) {
    RevisionRecord applied = o.status().applied;
    return applied == null || applied.images == null ? o.spec().images() : Revisions.imagesOf(applied);
  }

  /** The ReplicaSet of the revision the Hotfix applied, once the controller created it. */
  static Optional<ReplicaSet> appliedReplicaSet(Observation o) {
    RevisionRecord applied = o.status().applied;
    if (applied == null || applied.podTemplateHash == null) {
      return Optional.empty();
    }
    return o.target().flatMap(t -> t.byHash(applied.podTemplateHash));
  }

  private static String changedImages(Observation o, Map<String, String> expected) {
    Map<String, String> now = o.targetImages();
    StringBuilder sb = new StringBuilder();
    expected.forEach((c, image) -> {
      if (!ImageIntent.isOurs(image, now.get(c))) {
        sb.append("; container ").append(c).append(" now runs ").append(now.get(c)).append(", expected ")
            .append(image);
      }
    });
    return sb.toString();
  }

  static String revisionLabel(ReplicaSet rs) {
    return "revision " + DeploymentRevisions.revisionOf(rs) + " (" + DeploymentRevisions.holderKind(rs) + " "
        + rs.getMetadata().getName() + ")";
  }
}
