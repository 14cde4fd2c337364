package dev.hotfix.sandbox.cluster;

import dev.hotfix.sandbox.ImageBehaviour;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A simulated pod's status at one instant, assembled from its containers' timelines as the
 * kubelet reports it: phase, the PodScheduled/Initialized/ContainersReady/Ready conditions, IPs,
 * start time and container statuses, plus the instant at which any of it next changes.
 */
final class SimulatedPodStatus {

  /** Init container behaviours that never complete. */
  private static final Set<ImageBehaviour> FAILING_INIT = Set.of(ImageBehaviour.INITCRASH, ImageBehaviour.CRASHLOOP,
      ImageBehaviour.OOM, ImageBehaviour.PULLERR);

  /** Where the simulated kubelet runs. */
  static final String HOST_IP = "127.0.0.1";

  private SimulatedPodStatus() {}

  /** A pod's status and when to look again (null: it will not change by itself). */
  record Result(PodStatus status, Instant nextChange) {}

  /**
   * @param boundAt when the pod was bound to the node (its startTime)
   * @param podIP the fake address given to this pod
   */
  static Result of(Pod pod, Instant boundAt, String podIP, ClusterTiming timing, Instant now) {
    return of(pod, boundAt, podIP, timing, now, null);
  }

  /**
   * @param boundAt when the pod was bound to the node (its startTime)
   * @param podIP the fake address given to this pod
   * @param crashingSince when an injected fault made the pod's app containers crash from then on
   *     ({@link InjectedCrash}), null when none did
   */
  static Result of(Pod pod, Instant boundAt, String podIP, ClusterTiming timing, Instant now, Instant crashingSince) {
    String podId = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName()
        + "(" + pod.getMetadata().getUid() + ")";
    InitContainers init = initContainers(pod, podId, boundAt, timing, now);
    List<ContainerStatus> containers = new ArrayList<>();
    List<String> unready = new ArrayList<>();
    boolean allStarted = init.incomplete().isEmpty();
    Instant readySince = boundAt;
    Instant unreadySince = boundAt;
    Instant next = init.nextChange();
    for (Container c : pod.getSpec().getContainers()) {
      if (!init.incomplete().isEmpty()) {
        containers.add(new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage()).withImageID("")
            .withReady(false).withStarted(false).withRestartCount(0).withNewState().withNewWaiting()
            .withReason("PodInitializing").endWaiting().endState().withNewLastState().endLastState().build());
        unready.add(c.getName());
        continue;
      }
      ContainerTimeline.Snapshot s =
          new ContainerTimeline(c.getName(), c.getImage(), podId, boundAt, timing, crashingSince).at(now,
              pod.getSpec().getRestartPolicy());
      containers.add(s.status());
      allStarted &= s.everStarted();
      if (s.unreadySince() != null && s.unreadySince().isAfter(unreadySince)) {
        unreadySince = s.unreadySince();
      }
      if (s.readySince() == null) {
        unready.add(c.getName());
      } else if (s.readySince().isAfter(readySince)) {
        readySince = s.readySince();
      }
      if (s.nextChange() != null && (next == null || s.nextChange().isBefore(next))) {
        next = s.nextChange();
      }
    }
    boolean ready = unready.isEmpty();
    Optional<String> finished = init.incomplete().isEmpty() ? finishedPhase(pod, containers) : Optional.empty();
    // readiness changes at most twice: ready from one instant on (the last container ready), and
    // unready again from an injected crash on; never ready means unchanged since the pod was bound
    String readyChanged = Timestamps.format(ready ? readySince : unreadySince);
    String bound = Timestamps.format(boundAt);
    PodStatus status =
        new PodStatusBuilder()
            .withPhase(finished.orElse(allStarted ? "Running" : "Pending"))
            .withConditions(
                init.incomplete().isEmpty() ? condition("Initialized", true, bound, null)
                    : new PodConditionBuilder().withType("Initialized").withStatus("False").withLastTransitionTime(bound)
                        .withReason("ContainersNotInitialized").withMessage("containers with incomplete status: ["
                            + String.join(" ", init.incomplete()) + "]").build(),
                condition("Ready", ready, readyChanged, finished.isPresent() ? null : unready, finished),
                condition("ContainersReady", ready, readyChanged, finished.isPresent() ? null : unready, finished),
                condition("PodScheduled", true, bound, null))
            .withHostIP(HOST_IP)
            .withHostIPs(new HostIP(HOST_IP))
            .withPodIP(podIP)
            .withPodIPs(new PodIP(podIP))
            .withStartTime(bound)
            .withQosClass("BestEffort")
            .withInitContainerStatuses(init.statuses().isEmpty() ? null : init.statuses())
            .withContainerStatuses(containers)
            .build();
    return new Result(status, next);
  }

  /** The init containers' statuses, which of them have not completed, and when that next changes. */
  private record InitContainers(List<ContainerStatus> statuses, List<String> incomplete, Instant nextChange) {}

  /**
   * Init containers run before the app containers. One whose image tag makes it fail
   * ({@code initcrash}, {@code crashloop}, {@code oom}, {@code pullerr}) follows its failing timeline
   * and holds the pod in initialization; any other completes at once (exit 0), so a healthy
   * pod's start time is the same with or without init containers.
   */
  private static InitContainers initContainers(Pod pod, String podId, Instant boundAt, ClusterTiming timing,
      Instant now) {
    List<ContainerStatus> statuses = new ArrayList<>();
    List<String> incomplete = new ArrayList<>();
    Instant next = null;
    for (Container c : pod.getSpec().getInitContainers() == null ? List.<Container>of()
        : pod.getSpec().getInitContainers()) {
      if (!incomplete.isEmpty()) {
        statuses.add(new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage()).withImageID("")
            .withReady(false).withRestartCount(0).withNewState().withNewWaiting().withReason("PodInitializing")
            .endWaiting().endState().withNewLastState().endLastState().build());
        incomplete.add(c.getName());
      } else if (FAILING_INIT.contains(ImageBehaviour.of(c.getImage()))) {
        ContainerTimeline.Snapshot s = new ContainerTimeline(c.getName(), c.getImage(), podId, boundAt, timing).at(now);
        statuses.add(new ContainerStatusBuilder(s.status()).withReady(false).withStarted(null).build());
        incomplete.add(c.getName());
        next = s.nextChange();
      } else {
        String at = Timestamps.format(boundAt);
        statuses.add(new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage()).withImageID("")
            .withReady(true).withRestartCount(0).withNewState().withNewTerminated().withExitCode(0)
            .withReason("Completed").withStartedAt(at).withFinishedAt(at).endTerminated().endState()
            .withNewLastState().endLastState().build());
      }
    }
    return new InitContainers(statuses, incomplete, next);
  }

  /**
   * Succeeded or Failed once every container has terminated for good under the pod's
   * restartPolicy (Never; OnFailure once all exited 0), as the kubelet's phase computation has
   * it; empty while any may still run or restart (always, under Always).
   */
  private static Optional<String> finishedPhase(Pod pod, List<ContainerStatus> containers) {
    String policy = pod.getSpec().getRestartPolicy();
    if (!"Never".equals(policy) && !"OnFailure".equals(policy)) {
      return Optional.empty();
    }
    boolean allTerminated = containers.stream().allMatch(c -> c.getState() != null
        && c.getState().getTerminated() != null);
    boolean allZero = containers.stream().allMatch(c -> c.getState() != null && c.getState().getTerminated() != null
        && c.getState().getTerminated().getExitCode() == 0);
    if (!allTerminated || ("OnFailure".equals(policy) && !allZero)) {
      return Optional.empty();
    }
    return Optional.of(allZero ? "Succeeded" : "Failed");
  }

  private static PodCondition condition(String type, boolean isTrue, String lastTransition, List<String> unready) {
    return condition(type, isTrue, lastTransition, unready, Optional.empty());
  }

  /** A condition; a finished pod's Ready and ContainersReady say PodCompleted, as upstream's. */
  private static PodCondition condition(String type, boolean isTrue, String lastTransition, List<String> unready,
      Optional<String> finished) {
    PodConditionBuilder b =
        new PodConditionBuilder().withType(type).withStatus(isTrue ? "True" : "False").withLastTransitionTime(lastTransition);
    if (finished.isPresent()) {
      b.withReason("PodCompleted");
    }
    if (!isTrue && unready != null) {
      b.withReason("ContainersNotReady")
          .withMessage("containers with unready status: [" + String.join(" ", unready) + "]");
    }
    return b.build();
  }
}
