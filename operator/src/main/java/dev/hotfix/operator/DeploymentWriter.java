package dev.hotfix.operator;

import dev.hotfix.rollout.DeploymentPatch;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/** The only way the operator changes a user's Deployment: one JSON Patch with a resourceVersion precondition. */
public interface DeploymentWriter {

  /**
   * Applies {@code patch} to {@code base}.
   *
   * @return the Deployment as stored after the patch
   * @throws WriteConflict when {@code base} is no longer the stored version (409)
   * @throws WriteRefused when the API server refuses the result as invalid (422)
   */
  Deployment patch(Deployment base, DeploymentPatch patch) throws WriteConflict;
}
