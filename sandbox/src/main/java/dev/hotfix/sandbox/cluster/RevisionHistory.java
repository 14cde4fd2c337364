package dev.hotfix.sandbox.cluster;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Which old ReplicaSets a Deployment's revisionHistoryLimit prunes, as upstream's
 * cleanupDeployment: of the old ReplicaSets not already being deleted, as many as exceed the limit
 * are considered, lowest revision first (a missing revision counts as 0; equal revisions go
 * oldest first); of those, only the ones with no pods wanted or left, whose controller has seen
 * their latest spec, are deleted. The others are skipped, not replaced by newer ones, so the
 * history can exceed the limit while old pods drain, as on a real cluster.
 */
final class RevisionHistory {

  /** Lowest revision first, then oldest, as upstream's ReplicaSetsByRevision. */
  static final Comparator<ReplicaSet> BY_REVISION =
      Comparator.comparingLong(ReplicaSets::revision).thenComparing(ReplicaSets.OLDEST_FIRST);

  private RevisionHistory() {}

  /** The old ReplicaSets to delete now, in the order upstream deletes them. */
  static List<ReplicaSet> beyondLimit(Deployment d, Collection<ReplicaSet> old) {
    List<ReplicaSet> cleanable = new ArrayList<>(old.stream().filter(rs -> !isBeingDeleted(rs)).toList());
    int excess = cleanable.size() - DeploymentSpecs.revisionHistoryLimit(d);
    if (excess <= 0) {
      return List.of();
    }
    cleanable.sort(BY_REVISION);
    return cleanable.subList(0, excess).stream().filter(RevisionHistory::isDrained).toList();
  }

  /** No pods wanted or reported, and its controller has caught up with its spec. */
  private static boolean isDrained(ReplicaSet rs) {
    long generation = rs.getMetadata().getGeneration() == null ? 0 : rs.getMetadata().getGeneration();
    long observed = rs.getStatus() == null || rs.getStatus().getObservedGeneration() == null
        ? 0 : rs.getStatus().getObservedGeneration();
    return ReplicaSets.observed(rs) == 0 && ReplicaSets.desired(rs) == 0 && generation <= observed;
  }

  private static boolean isBeingDeleted(ReplicaSet rs) {
    return rs.getMetadata().getDeletionTimestamp() != null;
  }
}
