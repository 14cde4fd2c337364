package dev.hotfix.api.v1alpha1;

/** Kinds of workload a Hotfix can patch (group {@code apps}, version {@code v1}). */
public enum TargetKind {
  Deployment("deployments"),
  StatefulSet("statefulsets"),
  DaemonSet("daemonsets");

  private final String plural;

  TargetKind(String plural) {
    this.plural = plural;
  }

  /** The resource name, as RBAC and {@code kubectl} spell it ({@code deployments}). */
  public String plural() {
    return plural;
  }

  /** What holds each revision's pod template: ReplicaSets for a Deployment, ControllerRevisions otherwise. */
  public String revisionHolder() {
    return this == Deployment ? "ReplicaSet" : "ControllerRevision";
  }

  /** The kind a Hotfix names, Deployment when absent (the schema's default). */
  public static TargetKind of(TargetRef target) {
    return target == null || target.kind == null ? Deployment : target.kind;
  }
}
