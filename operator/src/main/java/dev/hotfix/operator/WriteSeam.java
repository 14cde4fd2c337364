package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.rollout.DeploymentPatch;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * The boundaries of the operator's writes, where the reliability suite stops an operator as a
 * crash would (throwing, and refusing every later write of that operator), to prove that a fresh
 * operator finishes the job from what was stored. Production runs {@link #NONE}.
 */
public interface WriteSeam {
  /** No interference: every write goes through. */
  WriteSeam NONE = new WriteSeam() { };

  /** Before the operator patches {@code base}. */
  default void beforeDeploymentPatch(Deployment base, DeploymentPatch patch) {
  }

  /** After the patch is stored, before the operator records anything about it. */
  default void afterDeploymentPatch(Deployment stored, DeploymentPatch patch) {
  }

  /** Before a write of a Hotfix (its status, or its finalizer). */
  default void beforeHotfixWrite(Hotfix desired) {
  }

  /** After a write of a Hotfix's status is stored. */
  default void afterStatusWrite(Hotfix stored) {
  }
}
