package dev.hotfix.rollout;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

/** Owner references of what a Hotfix creates (its canary ReplicaSet, its smoke-test Jobs). */
public final class Owners {
  private Owners() {
  }

  /**
   * A controller reference to {@code owner}: the object is deleted with it; without
   * blockOwnerDeletion, which would need the right to update the owner's finalizers.
   */
  public static OwnerReference controlledBy(HasMetadata owner) {
    return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
        .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).withController(true)
        .withBlockOwnerDeletion(false).build();
  }
}
