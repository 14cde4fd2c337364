package dev.hotfix.health;

import dev.hotfix.api.v1alpha1.RollbackCause;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Rollout progress measured exactly like {@code kubectl rollout status}: the controller has seen
 * the spec, every replica is updated, no old replica remains, all updated ones are available
 * (PASS); still on its way (NO_DATA, nothing to judge yet); {@code ProgressDeadlineExceeded},
 * or our own deadline, whichever comes first (FAIL).
 */
public final class RolloutProgress implements HealthCheck {
  @Override
  public String name() {
    return "rollout";
  }

  @Override
  public RollbackCause cause() {
    return RollbackCause.Deadline;
  }

  @Override
  public Measurement measure(RevisionUnderTest revision) {
    Deployment d = revision.deployment();
    DeploymentStatus status = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
    long generation = orZero(d.getMetadata().getGeneration());
    long observed = status.getObservedGeneration() == null ? 0 : status.getObservedGeneration();

    String waiting;
    if (observed >= generation) {
      Optional<DeploymentCondition> progressing = status.getConditions() == null ? Optional.empty()
          : status.getConditions().stream().filter(c -> "Progressing".equals(c.getType())).findFirst();
      if (progressing.isPresent() && "ProgressDeadlineExceeded".equals(progressing.get().getReason())) {
        return fail(revision, "Deployment " + d.getMetadata().getName() + " exceeded its progress deadline: "
            + progressing.get().getMessage());
      }
      int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
      int updated = orZero(status.getUpdatedReplicas());
      int replicas = orZero(status.getReplicas());
      int available = orZero(status.getAvailableReplicas());
      if (updated < desired) {
        waiting = updated + " of " + desired + " new replicas updated";
      } else if (replicas > updated) {
        waiting = (replicas - updated) + " old replicas pending termination";
      } else if (available < updated) {
        waiting = available + " of " + updated + " updated replicas available";
      } else {
        return new Measurement(Measurement.Result.PASS, OptionalDouble.of(updated), "rolled out: " + updated + " of "
            + desired + " replicas updated and available", revision.now());
      }
    } else {
      waiting = "waiting for the Deployment controller to observe generation " + generation;
    }
    if (!revision.now().isBefore(deadline(revision))) {
      return fail(revision, "rollout not complete after " + revision.progressDeadline().toSeconds() + "s: " + waiting);
    }
    return new Measurement(Measurement.Result.NO_DATA, OptionalDouble.empty(), waiting, revision.now());
  }

  /** The progress deadline: a rollout still incomplete then fails. */
  @Override
  public Optional<Instant> recheckAt(RevisionUnderTest revision) {
    return Optional.of(deadline(revision));
  }

  private static Instant deadline(RevisionUnderTest revision) {
    return revision.startedAt().plus(revision.progressDeadline());
  }

  private static Measurement fail(RevisionUnderTest revision, String message) {
    return new Measurement(Measurement.Result.FAIL, OptionalDouble.empty(), message, revision.now());
  }

  private static int orZero(Integer i) {
    return i == null ? 0 : i;
  }

  private static long orZero(Long l) {
    return l == null ? 0 : l;
  }
}
