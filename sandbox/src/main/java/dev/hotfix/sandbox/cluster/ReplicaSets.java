package dev.hotfix.sandbox.cluster;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import java.util.Collection;
import java.util.Comparator;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Counting and ordering ReplicaSets the way the Deployment controller needs: desired (spec)
 * replicas, observed (status) replicas, ready and available pods, and revisions.
 */
final class ReplicaSets {

  /** Oldest first, then by name, as upstream's ReplicaSetsByCreationTimestamp. */
  static final Comparator<ReplicaSet> OLDEST_FIRST =
      Comparator.comparing((ReplicaSet rs) -> createdAt(rs))
          .thenComparing(rs -> rs.getMetadata().getName());

  private ReplicaSets() {}

  /** spec.replicas, which apps/v1 defaults to 1. */
  static int desired(ReplicaSet rs) {
    Integer r = rs.getSpec().getReplicas();
    return r == null ? 1 : r;
  }

  /** Whether the ReplicaSet wants any pods. */
  static boolean isActive(ReplicaSet rs) {
    return desired(rs) > 0;
  }

  static int observed(ReplicaSet rs) {
    return statusValue(rs, ReplicaSetStatus::getReplicas);
  }

  static int ready(ReplicaSet rs) {
    return statusValue(rs, ReplicaSetStatus::getReadyReplicas);
  }

  /**
   * status.availableReplicas as last reported: right after a scale-down it still counts the pods
   * being removed, as upstream's controller sees it too.
   */
  static int available(ReplicaSet rs) {
    return statusValue(rs, ReplicaSetStatus::getAvailableReplicas);
  }

  static int sum(Collection<ReplicaSet> sets, ToIntFunction<ReplicaSet> count) {
    int total = 0;
    for (ReplicaSet rs : sets) {
      if (rs != null) {
        total += count.applyAsInt(rs);
      }
    }
    return total;
  }

  /** The deployment.kubernetes.io/revision of a ReplicaSet, 0 when missing or unreadable. */
  static long revision(ReplicaSet rs) {
    return RevisionAnnotations.revisionOf(rs.getMetadata().getAnnotations());
  }

  static long maxRevision(Collection<ReplicaSet> sets) {
    return sets.stream().mapToLong(ReplicaSets::revision).max().orElse(0);
  }

  private static String createdAt(ReplicaSet rs) {
    String t = rs.getMetadata().getCreationTimestamp();
    return t == null ? "" : t;
  }

  private static int statusValue(ReplicaSet rs, Function<ReplicaSetStatus, Integer> field) {
    ReplicaSetStatus s = rs.getStatus();
    Integer value = s == null ? null : field.apply(s);
    return value == null ? 0 : value;
  }
}
