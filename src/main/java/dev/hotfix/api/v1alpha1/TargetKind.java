package dev.hotfix.api.v1alpha1;

/** Kinds of workload a Hotfix can patch. */
public enum TargetKind {
  Deployment
}
