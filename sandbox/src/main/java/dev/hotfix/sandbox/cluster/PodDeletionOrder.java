package dev.hotfix.sandbox.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.time.Instant;
import java.util.Comparator;

/**
 * Which pods a ReplicaSet removes first when it has too many, as upstream ranks them: pods not
 * yet on a node, then pending before running, not ready before ready, the most recently ready,
 * the most restarted, and finally the youngest. Losing the least useful pod first keeps a
 * scale-down from costing availability.
 */
final class PodDeletionOrder {

  /** Sorts the pod to delete first to the front. */
  static final Comparator<Pod> FIRST_TO_DELETE =
      Comparator.comparing((Pod p) -> isScheduled(p))
          .thenComparingInt(PodDeletionOrder::phaseRank)
          .thenComparing(Readiness::isPodReady)
          .thenComparing(
              (Pod p) -> Pods.readySince(p).orElse(Instant.MAX), Comparator.reverseOrder())
          .thenComparing(Pods::restartCount, Comparator.reverseOrder())
          .thenComparing(
              (Pod p) -> p.getMetadata().getCreationTimestamp() == null ? "" : p.getMetadata().getCreationTimestamp(),
              Comparator.reverseOrder());

  private PodDeletionOrder() {}

  private static boolean isScheduled(Pod pod) {
    return pod.getSpec() != null && pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty();
  }

  private static int phaseRank(Pod pod) {
    return switch (Pods.phase(pod)) {
      case "Pending" -> 0;
      case "Unknown" -> 1;
      case "Running" -> 2;
      default -> 3;
    };
  }
}
