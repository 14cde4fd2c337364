package dev.hotfix.sandbox.cluster;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.List;

/**
 * One Deployment sync's view of the Deployment and its ReplicaSets: the new ReplicaSet (whose
 * template is the Deployment's) and the old ones. Every write replaces the object it wrote with
 * what the API server returned, so later steps of the same sync decide on what it now holds and
 * the next write carries the right resourceVersion.
 */
final class Rollout {

  /** The Deployment, a private copy: writes replace it, nobody else sees it. */
  Deployment deployment;
  /** The ReplicaSets the Deployment controls, from the informer cache (read-only). */
  final List<ReplicaSet> owned;
  /** The ReplicaSet of the current template, or null before it is created. */
  ReplicaSet newRS;
  /** Every other controlled ReplicaSet. */
  List<ReplicaSet> old = new ArrayList<>();

  Rollout(Deployment deployment, List<ReplicaSet> owned) {
    this.deployment = deployment;
    this.owned = owned;
  }

  /** The old ReplicaSets and the new one, if any. */
  List<ReplicaSet> all() {
    List<ReplicaSet> all = new ArrayList<>(old);
    if (newRS != null) {
      all.add(newRS);
    }
    return all;
  }

  /** Puts a ReplicaSet as the API server returned it in place of the version it replaced. */
  void replace(ReplicaSet updated) {
    String uid = updated.getMetadata().getUid();
    if (newRS != null && uid.equals(newRS.getMetadata().getUid())) {
      newRS = updated;
    }
    old.replaceAll(rs -> uid.equals(rs.getMetadata().getUid()) ? updated : rs);
  }

  /** The version of {@code rs} this sync holds now (after its own writes). */
  ReplicaSet current(ReplicaSet rs) {
    String uid = rs.getMetadata().getUid();
    if (newRS != null && uid.equals(newRS.getMetadata().getUid())) {
      return newRS;
    }
    return old.stream().filter(o -> uid.equals(o.getMetadata().getUid())).findFirst().orElse(rs);
  }

  /** The Deployment's status, with a conditions list, ready to be changed and written. */
  DeploymentStatus editableStatus() {
    DeploymentStatus status = deployment.getStatus() == null ? new DeploymentStatus() : deployment.getStatus();
    if (status.getConditions() == null) {
      status.setConditions(new ArrayList<>());
    }
    return status;
  }
}
