package dev.hotfix.rollout;

import dev.hotfix.api.v1alpha1.TargetKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Deployment with the ReplicaSets it controls: which one holds its current template, and
 * which one holds a recorded revision (as {@code kubectl rollout history/undo} find them). A
 * StatefulSet or DaemonSet is seen the same way through {@link WorkloadView}: then
 * {@link #workload()} is the real object and the Deployment and ReplicaSets are its view.
 */
public final class DeploymentRevisions {
  /** The annotation the Deployment controller numbers revisions with. */
  public static final String REVISION_ANNOTATION = "deployment.kubernetes.io/revision";

  /** Oldest first, ties by name, as upstream's ReplicaSetsByCreationTimestamp. */
  private static final Comparator<ReplicaSet> OLDEST_FIRST = Comparator
      .comparing((ReplicaSet rs) -> Objects.toString(rs.getMetadata().getCreationTimestamp(), ""))
      .thenComparing(rs -> rs.getMetadata().getName());

  private final Deployment deployment;
  private final List<ReplicaSet> owned;
  private final HasMetadata workload;

  public DeploymentRevisions(Deployment deployment, Collection<ReplicaSet> replicaSets) {
    this(deployment, replicaSets, deployment);
  }

  DeploymentRevisions(Deployment deployment, Collection<ReplicaSet> replicaSets, HasMetadata workload) {
    this.deployment = deployment;
    this.workload = workload;
    this.owned = replicaSets.stream().filter(rs -> controlledBy(rs, deployment))
        .sorted(Comparator.comparingLong(DeploymentRevisions::revisionOf)).toList();
  }

  public Deployment deployment() {
    return deployment;
  }

  /** The target as stored: the Deployment itself, or the StatefulSet or DaemonSet it is a view of. */
  public HasMetadata workload() {
    return workload;
  }

  /** The target's kind. */
  public TargetKind kind() {
    return WorkloadView.kindOf(workload);
  }

  /** The ReplicaSets the Deployment controls, oldest revision first. */
  public List<ReplicaSet> replicaSets() {
    return owned;
  }

  /**
   * The ReplicaSet whose template is the Deployment's current one (absent until the controller
   * creates it). When several match (a later duplicate, as after a pod-template-hash collision),
   * the oldest, as upstream's FindNewReplicaSet: that is the one the Deployment controller scales.
   */
  public Optional<ReplicaSet> current() {
    return owned.stream()
        .filter(rs -> PodTemplates.equalIgnoringHash(rs.getSpec().getTemplate(), deployment.getSpec().getTemplate()))
        .min(OLDEST_FIRST);
  }

  /** The ReplicaSet of a recorded pod-template-hash. */
  public Optional<ReplicaSet> byHash(String podTemplateHash) {
    return owned.stream().filter(rs -> podTemplateHash != null && podTemplateHash.equals(hashOf(rs))).findFirst();
  }

  /** The revision number an object carries, 0 when it has none. */
  public static long revisionOf(HasMetadata object) {
    String value = object.getMetadata().getAnnotations() == null ? null
        : object.getMetadata().getAnnotations().get(REVISION_ANNOTATION);
    try {
      return value == null ? 0 : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * What holds a revision's template: a ReplicaSet for a Deployment, a ControllerRevision for a
   * StatefulSet or DaemonSet (whose {@link WorkloadView} lists it as a ReplicaSet).
   */
  public static String holderKind(ReplicaSet rs) {
    List<OwnerReference> refs = rs.getMetadata().getOwnerReferences();
    boolean ofDeployment = refs == null || refs.stream().filter(r -> Boolean.TRUE.equals(r.getController()))
        .allMatch(r -> "Deployment".equals(r.getKind()));
    return ofDeployment ? "ReplicaSet" : "ControllerRevision";
  }

  /** The pod-template-hash label of a ReplicaSet, or null. */
  public static String hashOf(ReplicaSet rs) {
    return rs.getMetadata().getLabels() == null ? null : rs.getMetadata().getLabels().get(PodTemplates.HASH_LABEL);
  }

  private static boolean controlledBy(ReplicaSet rs, Deployment d) {
    List<OwnerReference> refs = rs.getMetadata().getOwnerReferences();
    return refs != null && refs.stream().anyMatch(r -> Boolean.TRUE.equals(r.getController())
        && d.getMetadata().getUid() != null && d.getMetadata().getUid().equals(r.getUid()));
  }
}
