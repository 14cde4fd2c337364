package dev.hotfix.api.v1alpha1;

/**
 * What deleting a Hotfix does while it is changing the Deployment (RollingOut or Verifying):
 * the operator holds the deletion with the {@code hotfix.dev/cleanup} finalizer until it is done.
 */
public enum DeletionAction {
  /** Restore the recorded previous revision (as an abort does), then let the Hotfix go. */
  RollBack,
  /** Keep the new revision, give the Deployment back to its owner's strategy, then let the Hotfix go. */
  Leave
}
