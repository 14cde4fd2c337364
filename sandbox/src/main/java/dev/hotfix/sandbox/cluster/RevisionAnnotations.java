package dev.hotfix.sandbox.cluster;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The annotations through which the Deployment controller records revisions and sizes on
 * ReplicaSets, and which {@code kubectl rollout history/undo} read back.
 */
final class RevisionAnnotations {

  static final String REVISION = "deployment.kubernetes.io/revision";
  static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
  static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
  static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";

  /** Deployment annotations that describe the Deployment itself and so are never copied. */
  private static final Set<String> NOT_COPIED =
      Set.of(
          "kubectl.kubernetes.io/last-applied-configuration",
          REVISION,
          REVISION_HISTORY,
          DESIRED_REPLICAS,
          MAX_REPLICAS,
          "deprecated.deployment.rollback.to");

  private RevisionAnnotations() {}

  /**
   * Brings the annotations of the Deployment's new ReplicaSet up to date, as upstream's
   * SetNewReplicaSetAnnotations: copies the Deployment's annotations, raises the revision to
   * {@code newRevision} (recording the numbers a re-used ReplicaSet had before in
   * revision-history, which is how a rollback keeps its history), and for a ReplicaSet about to
   * be created sets the replica annotations.
   *
   * @param rsAnnotations the new ReplicaSet's annotations, modified in place
   * @return whether anything changed
   */
  static boolean updateNewReplicaSet(
      Map<String, String> deploymentAnnotations,
      Map<String, String> rsAnnotations,
      long newRevision,
      boolean exists,
      int desiredReplicas,
      int maxReplicas) {
    boolean changed = false;
    if (deploymentAnnotations != null) {
      for (var e : deploymentAnnotations.entrySet()) {
        if (!NOT_COPIED.contains(e.getKey()) && !e.getValue().equals(rsAnnotations.get(e.getKey()))) {
          rsAnnotations.put(e.getKey(), e.getValue());
          changed = true;
        }
      }
    }
    String oldRevision = rsAnnotations.get(REVISION);
    long oldRevisionNumber = parse(oldRevision);
    if (oldRevisionNumber < newRevision) {
      rsAnnotations.put(REVISION, Long.toString(newRevision));
      changed = true;
      if (oldRevision != null) {
        String history = rsAnnotations.get(REVISION_HISTORY);
        rsAnnotations.put(
            REVISION_HISTORY, history == null || history.isEmpty() ? oldRevision : history + "," + oldRevision);
      }
    }
    if (!exists && setReplicas(rsAnnotations, desiredReplicas, maxReplicas)) {
      changed = true;
    }
    return changed;
  }

  /** Whether desired-replicas/max-replicas differ from the given sizes. */
  static boolean replicasNeedUpdate(Map<String, String> rsAnnotations, int desired, int max) {
    return rsAnnotations == null
        || !Integer.toString(desired).equals(rsAnnotations.get(DESIRED_REPLICAS))
        || !Integer.toString(max).equals(rsAnnotations.get(MAX_REPLICAS));
  }

  /** Sets desired-replicas/max-replicas; returns whether they changed. */
  static boolean setReplicas(Map<String, String> rsAnnotations, int desired, int max) {
    boolean changed = replicasNeedUpdate(rsAnnotations, desired, max);
    rsAnnotations.put(DESIRED_REPLICAS, Integer.toString(desired));
    rsAnnotations.put(MAX_REPLICAS, Integer.toString(max));
    return changed;
  }

  /** A modifiable copy of an object's annotations (empty when it has none). */
  static Map<String, String> editable(Map<String, String> annotations) {
    return annotations == null ? new HashMap<>() : new HashMap<>(annotations);
  }

  /** An integer annotation value, or -1 when absent or unreadable. */
  static int intValue(Map<String, String> annotations, String key) {
    String v = annotations == null ? null : annotations.get(key);
    if (v == null) {
      return -1;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The revision recorded in a ReplicaSet's annotations, 0 when missing or unreadable. */
  static long revisionOf(Map<String, String> annotations) {
    return parse(annotations == null ? null : annotations.get(REVISION));
  }

  private static long parse(String value) {
    if (value == null) {
      return 0;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
