package dev.hotfix.api.v1alpha1;

/** What a canary's analysis concluded. */
public enum CanaryVerdict {
  /** Judged healthy for the whole analysis: the rollout goes on. */
  Passed,
  /** A pod fault or a failed check: the canary was removed, the Deployment never changed. */
  Failed
}
