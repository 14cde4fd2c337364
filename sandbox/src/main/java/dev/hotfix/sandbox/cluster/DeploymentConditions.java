package dev.hotfix.sandbox.cluster;

import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Deployment's {@code Available} and {@code Progressing} conditions with upstream's reasons,
 * and upstream's rule for setting one: nothing changes when status and reason are the same, and
 * lastTransitionTime is kept while the status stays the same.
 */
final class DeploymentConditions {

  static final String AVAILABLE = "Available";
  static final String PROGRESSING = "Progressing";

  static final String MINIMUM_REPLICAS_AVAILABLE = "MinimumReplicasAvailable";
  static final String MINIMUM_REPLICAS_UNAVAILABLE = "MinimumReplicasUnavailable";
  static final String NEW_RS_CREATED = "NewReplicaSetCreated";
  static final String FOUND_NEW_RS = "FoundNewReplicaSet";
  static final String RS_UPDATED = "ReplicaSetUpdated";
  static final String NEW_RS_AVAILABLE = "NewReplicaSetAvailable";
  static final String TIMED_OUT = "ProgressDeadlineExceeded";
  static final String PAUSED = "DeploymentPaused";
  static final String RESUMED = "DeploymentResumed";

  private DeploymentConditions() {}

  static Optional<DeploymentCondition> get(DeploymentStatus status, String type) {
    if (status == null || status.getConditions() == null) {
      return Optional.empty();
    }
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** A condition whose update and transition times are both {@code now}. */
  static DeploymentCondition create(
      String type, String status, String reason, String message, Instant now) {
    String t = Timestamps.format(now);
    return new DeploymentCondition(t, t, message, reason, status, type);
  }

  /** Upstream's SetDeploymentCondition. */
  static void set(DeploymentStatus status, DeploymentCondition condition) {
    Optional<DeploymentCondition> current = get(status, condition.getType());
    if (current.isPresent()
        && current.get().getStatus().equals(condition.getStatus())
        && condition.getReason().equals(current.get().getReason())) {
      return;
    }
    if (current.isPresent() && current.get().getStatus().equals(condition.getStatus())) {
      condition.setLastTransitionTime(current.get().getLastTransitionTime());
    }
    replace(status, condition);
  }

  /** Puts a condition in place of any of its type, as given (no timestamp rules). */
  static void replace(DeploymentStatus status, DeploymentCondition condition) {
    remove(status, condition.getType());
    status.getConditions().add(condition);
  }

  static void remove(DeploymentStatus status, String type) {
    List<DeploymentCondition> kept = new ArrayList<>();
    if (status.getConditions() != null) {
      for (DeploymentCondition c : status.getConditions()) {
        if (!type.equals(c.getType())) {
          kept.add(c);
        }
      }
    }
    status.setConditions(kept);
  }
}
