package dev.hotfix.health;

import dev.hotfix.api.v1alpha1.RollbackCause;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetUpdateStrategy;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategy;
import java.util.List;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Rollout progress measured exactly like {@code kubectl rollout status}, by the target's kind:
 * for a Deployment, the controller has seen the spec, every replica is updated, no old replica
 * remains, all updated ones are available; for a StatefulSet, every pod ready and updated (to the
 * partition) or the update revision current; for a DaemonSet, every scheduled pod updated and
 * available (PASS). Still on its way: NO_DATA, nothing to judge yet. A Deployment's
 * {@code ProgressDeadlineExceeded}, or our own deadline, whichever comes first: FAIL (StatefulSets
 * and DaemonSets have no deadline of their own, so ours alone applies).
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
    HasMetadata workload = revision.workload();
    String waiting;
    if (workload instanceof StatefulSet set) {
      waiting = waitingFor(set);
    } else if (workload instanceof DaemonSet daemonSet) {
      waiting = waitingFor(daemonSet);
    } else {
      Deployment d = revision.deployment();
      Optional<String> exceeded = deadlineExceeded(d);
      if (exceeded.isPresent()) {
        return fail(revision, exceeded.get());
      }
      waiting = waitingFor(d);
    }
    if (waiting == null) {
      return new Measurement(Measurement.Result.PASS, OptionalDouble.empty(), "rolled out: "
          + done(revision), revision.now());
    }
    if (!revision.now().isBefore(deadline(revision))) {
      return fail(revision, "rollout not complete after " + revision.progressDeadline().toSeconds() + "s: " + waiting);
    }
    return new Measurement(Measurement.Result.NO_DATA, OptionalDouble.empty(), waiting, revision.now());
  }

  /** The Deployment controller's own verdict that the rollout is stuck. */
  private static Optional<String> deadlineExceeded(Deployment d) {
    DeploymentStatus status = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
    if (orZero(status.getObservedGeneration()) < orZero(d.getMetadata().getGeneration())) {
      return Optional.empty();
    }
    return (status.getConditions() == null ? List.<DeploymentCondition>of() : status.getConditions()).stream()
        .filter(c -> "Progressing".equals(c.getType()) && "ProgressDeadlineExceeded".equals(c.getReason()))
        .findFirst().map(c -> "Deployment " + d.getMetadata().getName() + " exceeded its progress deadline: "
            + c.getMessage());
  }

  /** What a Deployment's rollout still waits for, null when complete (kubectl's DeploymentStatusViewer). */
  private static String waitingFor(Deployment d) {
    DeploymentStatus status = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
    long generation = orZero(d.getMetadata().getGeneration());
    if (orZero(status.getObservedGeneration()) < generation) {
      return "waiting for the Deployment controller to observe generation " + generation;
    }
    int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    int updated = orZero(status.getUpdatedReplicas());
    int replicas = orZero(status.getReplicas());
    int available = orZero(status.getAvailableReplicas());
    if (updated < desired) {
      return updated + " of " + desired + " new replicas updated";
    }
    if (replicas > updated) {
      return (replicas - updated) + " old replicas pending termination";
    }
    if (available < updated) {
      return available + " of " + updated + " updated replicas available";
    }
    return null;
  }

  /** What a StatefulSet's rollout still waits for, null when complete (kubectl's StatefulSetStatusViewer). */
  private static String waitingFor(StatefulSet set) {
    StatefulSetStatus status = set.getStatus() == null ? new StatefulSetStatus() : set.getStatus();
    StatefulSetUpdateStrategy strategy = set.getSpec().getUpdateStrategy();
    if (strategy != null && strategy.getType() != null && !"RollingUpdate".equals(strategy.getType())) {
      return "StatefulSet " + set.getMetadata().getName() + " has updateStrategy " + strategy.getType()
          + ": its pods change only when deleted";
    }
    long observed = orZero(status.getObservedGeneration());
    if (observed == 0 || orZero(set.getMetadata().getGeneration()) > observed) {
      return "waiting for the StatefulSet controller to observe generation " + set.getMetadata().getGeneration();
    }
    Integer replicas = set.getSpec().getReplicas();
    int ready = orZero(status.getReadyReplicas());
    if (replicas != null && ready < replicas) {
      return (replicas - ready) + " of " + replicas + " pods not ready yet";
    }
    Integer partition = strategy == null || strategy.getRollingUpdate() == null ? null
        : strategy.getRollingUpdate().getPartition();
    if (replicas != null && partition != null) {
      int updated = orZero(status.getUpdatedReplicas());
      return updated < replicas - partition ? updated + " of " + (replicas - partition) + " pods updated" : null;
    }
    if (!java.util.Objects.equals(status.getUpdateRevision(), status.getCurrentRevision())) {
      return "waiting for the rolling update to revision " + status.getUpdateRevision() + " to complete ("
          + orZero(status.getUpdatedReplicas()) + " pods updated)";
    }
    return null;
  }

  /** What a DaemonSet's rollout still waits for, null when complete (kubectl's DaemonSetStatusViewer). */
  private static String waitingFor(DaemonSet ds) {
    DaemonSetStatus status = ds.getStatus() == null ? new DaemonSetStatus() : ds.getStatus();
    DaemonSetUpdateStrategy strategy = ds.getSpec().getUpdateStrategy();
    if (strategy != null && strategy.getType() != null && !"RollingUpdate".equals(strategy.getType())) {
      return "DaemonSet " + ds.getMetadata().getName() + " has updateStrategy " + strategy.getType()
          + ": its pods change only when deleted";
    }
    if (orZero(ds.getMetadata().getGeneration()) > orZero(status.getObservedGeneration())) {
      return "waiting for the DaemonSet controller to observe generation " + ds.getMetadata().getGeneration();
    }
    int desired = orZero(status.getDesiredNumberScheduled());
    int updated = orZero(status.getUpdatedNumberScheduled());
    int available = orZero(status.getNumberAvailable());
    if (updated < desired) {
      return updated + " of " + desired + " new pods updated";
    }
    if (available < desired) {
      return available + " of " + desired + " updated pods available";
    }
    return null;
  }

  private static String done(RevisionUnderTest revision) {
    HasMetadata workload = revision.workload();
    if (workload instanceof StatefulSet set) {
      return orZero(set.getStatus() == null ? null : set.getStatus().getUpdatedReplicas()) + " of "
          + set.getSpec().getReplicas() + " pods updated and ready";
    }
    if (workload instanceof DaemonSet ds) {
      return orZero(ds.getStatus() == null ? null : ds.getStatus().getUpdatedNumberScheduled())
          + " of " + orZero(ds.getStatus() == null ? null : ds.getStatus().getDesiredNumberScheduled())
          + " pods updated and available";
    }
    Deployment d = revision.deployment();
    int updated = orZero(d.getStatus() == null ? null : d.getStatus().getUpdatedReplicas());
    return updated + " of " + (d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas())
        + " replicas updated and available";
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
