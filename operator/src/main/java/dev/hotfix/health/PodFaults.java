package dev.hotfix.health;

import dev.hotfix.api.v1alpha1.RollbackCause;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Scans the revision's ReplicaSet and pods for faults that will not heal by waiting: pods the
 * ReplicaSet could not create ({@code ReplicaFailure}, e.g. a ResourceQuota or PodSecurity
 * refusal, once it outlasts the controller's retries), pods the scheduler cannot place, crash loops and OOM kills of containers and init
 * containers, image pull errors that outlast the kubelet's first retry, restarts over the limit,
 * and pods not ready within the timeout. One fault fails the revision at once (FAIL), without
 * waiting for the progress deadline; pods still starting, or not created yet, are NO_DATA; all
 * ready is PASS. The value is the number of pods judged.
 */
public final class PodFaults implements HealthCheck {
  /**
   * How long a pull error may last before it counts: the kubelet retries a failed pull after a
   * 10s back-off (ImagePullBackOff in between), so a registry hiccup clears within about that;
   * one that outlasts twice the first back-off is not transient.
   */
  public static final Duration IMAGE_PULL_GRACE = Duration.ofSeconds(20);
  /**
   * How long a ReplicaSet's {@code ReplicaFailure} may last before it counts: the controller
   * retries a failed sync with a back-off from 5ms, so a transient refusal (an API timeout, a
   * retried create that had landed) clears within a second or two, while a ResourceQuota or
   * PodSecurity refusal stays. Rolling back an emergency fix on a blip would be the worse error.
   */
  public static final Duration REPLICA_FAILURE_GRACE = Duration.ofSeconds(5);

  /** Waiting reasons of a container that cannot start however long it waits. */
  private static final Set<String> FATAL_WAITING = Set.of("InvalidImageName", "ErrImageNeverPull",
      "CreateContainerConfigError", "CreateContainerError", "RunContainerError");
  /** Waiting reasons of an image pull that failed and is being retried. */
  private static final Set<String> PULL_ERRORS = Set.of("ErrImagePull", "ImagePullBackOff");
  private static final String CRASH_LOOP = "CrashLoopBackOff";
  private static final String OOM_KILLED = "OOMKilled";

  /** One pod's judgement: a fault, or still starting until a moment, or fine. */
  private record PodVerdict(Optional<String> fault, Optional<Instant> startingUntil) {
    static PodVerdict fine() {
      return new PodVerdict(Optional.empty(), Optional.empty());
    }
  }

  @Override
  public String name() {
    return "pods";
  }

  @Override
  public RollbackCause cause() {
    return RollbackCause.PodFault;
  }

  @Override
  public Measurement measure(RevisionUnderTest revision) {
    Optional<ReplicaFailure> refused = revision.replicaSet().flatMap(PodFaults::replicaFailure);
    if (refused.isPresent() && refused.get().countsBy().map(t -> !revision.now().isBefore(t)).orElse(true)) {
      return fail(revision, refused.get().message());
    }
    if (refused.isPresent()) {
      return new Measurement(Measurement.Result.NO_DATA, OptionalDouble.empty(), refused.get().message() + " (a fault "
          + "if it lasts until " + refused.get().countsBy().get() + ")", revision.now());
    }
    boolean starting = false;
    for (Pod pod : live(revision)) {
      PodVerdict v = judge(pod, revision);
      if (v.fault().isPresent()) {
        return fail(revision, v.fault().get());
      }
      starting |= v.startingUntil().isPresent();
    }
    int judged = live(revision).size();
    int desired = revision.replicaSet().map(PodFaults::desired).orElse(1);
    if (judged < desired) {
      return new Measurement(Measurement.Result.NO_DATA, OptionalDouble.of(judged), judged + " of " + desired
          + " new pods created so far", revision.now());
    }
    return starting
        ? new Measurement(Measurement.Result.NO_DATA, OptionalDouble.of(judged), "waiting for new pods to become ready",
            revision.now())
        : new Measurement(Measurement.Result.PASS, OptionalDouble.of(judged), "no pod faults in " + judged
            + " new pods", revision.now());
  }

  /**
   * The earliest moment a pod still starting would turn into a fault (ready timeout, pull grace),
   * or the ReplicaSet's refusal would count.
   */
  @Override
  public Optional<Instant> recheckAt(RevisionUnderTest revision) {
    Stream<Instant> refusal = revision.replicaSet().flatMap(PodFaults::replicaFailure)
        .flatMap(ReplicaFailure::countsBy).stream();
    return Stream.concat(refusal, live(revision).stream().map(p -> judge(p, revision).startingUntil())
        .flatMap(Optional::stream)).min(Instant::compareTo);
  }

  private static PodVerdict judge(Pod pod, RevisionUnderTest revision) {
    String name = pod.getMetadata().getName();
    Optional<PodCondition> unschedulable = condition(pod, "PodScheduled")
        .filter(c -> "False".equals(c.getStatus()) && "Unschedulable".equals(c.getReason()));
    if (unschedulable.isPresent()) {
      return new PodVerdict(Optional.of("pod " + name + " cannot be scheduled: " + unschedulable.get().getMessage()),
          Optional.empty());
    }
    Instant created = Instant.parse(pod.getMetadata().getCreationTimestamp());
    Optional<Instant> startingUntil = Optional.empty();
    for (ContainerStatus cs : containerStatuses(pod)) {
      Optional<String> fault = containerFault(cs, revision.maxRestarts());
      if (fault.isPresent()) {
        return new PodVerdict(Optional.of("pod " + name + " " + fault.get()), Optional.empty());
      }
      if (PULL_ERRORS.contains(waitingReason(cs))) {
        Instant graceEnds = created.plus(IMAGE_PULL_GRACE);
        if (!revision.now().isBefore(graceEnds)) {
          return new PodVerdict(Optional.of("pod " + name + " " + describe(cs) + " for over "
              + IMAGE_PULL_GRACE.toSeconds() + "s"), Optional.empty());
        }
        startingUntil = Optional.of(graceEnds);
      }
    }
    if (Readiness.isPodReady(pod)) {
      return PodVerdict.fine();
    }
    Instant readyBy = created.plus(revision.podReadyTimeout());
    if (!revision.now().isBefore(readyBy)) {
      return new PodVerdict(Optional.of("pod " + name + " not ready after " + revision.podReadyTimeout().toSeconds()
          + "s (podReadyTimeoutSeconds)" + notReadyDetail(pod)), Optional.empty());
    }
    return new PodVerdict(Optional.empty(),
        Optional.of(startingUntil.filter(t -> t.isBefore(readyBy)).orElse(readyBy)));
  }

  /**
   * A container (or init container) that will not run: killed for memory, crashed more often
   * than tolerated (a crash waiting in CrashLoopBackOff counts, its restart not yet made), or
   * waiting for a reason no retry clears.
   */
  private static Optional<String> containerFault(ContainerStatus cs, int maxRestarts) {
    if (terminatedReason(cs.getState()).or(() -> terminatedReason(cs.getLastState())).filter(OOM_KILLED::equals)
        .isPresent()) {
      return Optional.of(describe(cs) + ": killed for exceeding its memory limit (OOMKilled)");
    }
    String waiting = waitingReason(cs);
    if (FATAL_WAITING.contains(waiting)) {
      return Optional.of(describe(cs));
    }
    int terminations = orZero(cs.getRestartCount()) + (CRASH_LOOP.equals(waiting) ? 1 : 0);
    if (terminations > maxRestarts) {
      return Optional.of(CRASH_LOOP.equals(waiting) ? describe(cs)
          : "container " + cs.getName() + " restarted " + cs.getRestartCount() + " times (maxRestarts " + maxRestarts
              + ")");
    }
    return Optional.empty();
  }

  /**
   * A ReplicaSet's refusal to create or delete pods.
   *
   * @param message what the API refused, for the rollback reason
   * @param countsBy when it counts as a fault: {@link #REPLICA_FAILURE_GRACE} after the condition
   *     became true; empty when the condition has no time (it counts at once)
   */
  private record ReplicaFailure(String message, Optional<Instant> countsBy) {
  }

  /** The ReplicaSet's {@code ReplicaFailure} condition: pods it asked for and the API refused. */
  private static Optional<ReplicaFailure> replicaFailure(ReplicaSet rs) {
    List<ReplicaSetCondition> conditions = rs.getStatus() == null || rs.getStatus().getConditions() == null
        ? List.of() : rs.getStatus().getConditions();
    return conditions.stream().filter(c -> "ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst().map(c -> new ReplicaFailure("ReplicaSet " + rs.getMetadata().getName() + " cannot create pods ("
            + c.getReason() + "): " + c.getMessage(), Optional.ofNullable(c.getLastTransitionTime())
            .map(t -> Instant.parse(t).plus(REPLICA_FAILURE_GRACE))));
  }

  private static int desired(ReplicaSet rs) {
    return rs.getSpec() == null || rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
  }

  private static List<Pod> live(RevisionUnderTest revision) {
    return revision.pods().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
  }

  private static Measurement fail(RevisionUnderTest revision, String message) {
    return new Measurement(Measurement.Result.FAIL, OptionalDouble.empty(), message, revision.now());
  }

  private static Optional<PodCondition> condition(Pod pod, String type) {
    return pod.getStatus() == null || pod.getStatus().getConditions() == null ? Optional.empty()
        : pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** Why a pod is not ready: the Ready condition's reason and each container's waiting reason. */
  private static String notReadyDetail(Pod pod) {
    List<String> why = new ArrayList<>();
    condition(pod, "Ready").map(PodCondition::getReason).ifPresent(why::add);
    containerStatuses(pod).stream().filter(cs -> !waitingReason(cs).isEmpty()).map(PodFaults::describe).forEach(why::add);
    return why.isEmpty() ? "" : ": " + String.join("; ", why);
  }

  private static String describe(ContainerStatus cs) {
    String waiting = waitingReason(cs);
    String detail = cs.getState() == null || cs.getState().getWaiting() == null ? null
        : cs.getState().getWaiting().getMessage();
    return "container " + cs.getName() + ": " + (waiting.isEmpty() ? "not running" : waiting)
        + (detail == null || detail.isBlank() ? "" : " (" + detail + ")") + ", restarts " + orZero(cs.getRestartCount());
  }

  /** The container's waiting reason, "" when it is not waiting (the reason sets refuse null). */
  private static String waitingReason(ContainerStatus cs) {
    return cs.getState() == null || cs.getState().getWaiting() == null
        || cs.getState().getWaiting().getReason() == null ? "" : cs.getState().getWaiting().getReason();
  }

  private static Optional<String> terminatedReason(ContainerState state) {
    return Optional.ofNullable(state).map(ContainerState::getTerminated).map(ContainerStateTerminated::getReason);
  }

  /** Init containers first (a pod runs them first), then the app containers. */
  private static List<ContainerStatus> containerStatuses(Pod pod) {
    if (pod.getStatus() == null) {
      return List.of();
    }
    return Stream.concat(Optional.ofNullable(pod.getStatus().getInitContainerStatuses()).stream().flatMap(List::stream),
        Optional.ofNullable(pod.getStatus().getContainerStatuses()).stream().flatMap(List::stream)).toList();
  }

  private static int orZero(Integer i) {
    return i == null ? 0 : i;
  }
}
