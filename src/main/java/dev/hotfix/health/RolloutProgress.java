package dev.hotfix.health;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.time.Instant;
import java.util.Optional;

/**
 * Rollout progress judged exactly like {@code kubectl rollout status}: the controller has seen
 * the spec, every replica is updated, no old replica remains, all updated ones are available;
 * {@code ProgressDeadlineExceeded} (or our own deadline, whichever comes first) fails it.
 */
public final class RolloutProgress implements HealthCheck {
  public static final String CAUSE_DEADLINE = "deadline";

  @Override
  public String name() {
    return "rollout";
  }

  @Override
  public Verdict judge(RevisionUnderTest revision) {
    Deployment d = revision.deployment();
    DeploymentStatus status = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
    Instant deadline = revision.startedAt().plus(revision.progressDeadline());
    Optional<Instant> recheck = Optional.of(deadline);
    long generation = orZero(d.getMetadata().getGeneration());
    long observed = status.getObservedGeneration() == null ? 0 : status.getObservedGeneration();

    if (observed >= generation) {
      Optional<DeploymentCondition> progressing = status.getConditions() == null ? Optional.empty()
          : status.getConditions().stream().filter(c -> "Progressing".equals(c.getType())).findFirst();
      if (progressing.isPresent() && "ProgressDeadlineExceeded".equals(progressing.get().getReason())) {
        return Verdict.failed(CAUSE_DEADLINE, "Deployment " + d.getMetadata().getName()
            + " exceeded its progress deadline: " + progressing.get().getMessage());
      }
      int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
      int updated = orZero(status.getUpdatedReplicas());
      int replicas = orZero(status.getReplicas());
      int available = orZero(status.getAvailableReplicas());
      String waiting = null;
      if (updated < desired) {
        waiting = updated + " of " + desired + " new replicas updated";
      } else if (replicas > updated) {
        waiting = (replicas - updated) + " old replicas pending termination";
      } else if (available < updated) {
        waiting = available + " of " + updated + " updated replicas available";
      }
      if (waiting == null) {
        return Verdict.healthy("rolled out: " + updated + " of " + desired + " replicas updated and available");
      }
      return overdue(revision, deadline) ? Verdict.failed(CAUSE_DEADLINE, "rollout not complete after "
          + revision.progressDeadline().toSeconds() + "s: " + waiting) : Verdict.pending(waiting, recheck);
    }
    return overdue(revision, deadline) ? Verdict.failed(CAUSE_DEADLINE, "Deployment controller did not observe "
        + "the change within " + revision.progressDeadline().toSeconds() + "s")
        : Verdict.pending("waiting for the Deployment controller to observe generation " + generation, recheck);
  }

  private static boolean overdue(RevisionUnderTest revision, Instant deadline) {
    return !revision.now().isBefore(deadline);
  }

  private static int orZero(Integer i) {
    return i == null ? 0 : i;
  }

  private static long orZero(Long l) {
    return l == null ? 0 : l;
  }
}
