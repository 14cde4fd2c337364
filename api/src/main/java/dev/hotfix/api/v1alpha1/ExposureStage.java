package dev.hotfix.api.v1alpha1;

/** Which bound on exposure applies: the canary's, or the Deployment's rollout's. */
public enum ExposureStage {
  /** Before the canary's verdict: at most spec.rollout.canary.pods pods run the new images. */
  Canary,
  /** The Deployment's rollout (no canary, or the canary passed): at most its replicas plus maxSurge. */
  Rollout
}
