package dev.hotfix.sandbox.cluster;

import dev.hotfix.sandbox.ImageBehaviour;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a simulated pod stops once it is marked for deletion, as the kubelet stops a real one:
 * its containers get SIGTERM at once (the pod is no longer ready), stop after their shutdown time
 * (by default quickly; all of the grace period for a {@code slowstop} image, which is then killed;
 * or the seconds of the {@value #STOP_SECONDS} annotation), and at the latest when the grace
 * period ends. Then the pod reports a terminal phase and the kubelet deletes it with no grace.
 */
final class PodShutdown {

  /** A pod annotation: how many seconds its containers take to stop after SIGTERM. */
  static final String STOP_SECONDS = "sandbox.hotfix.dev/stop-seconds";
  /** Upstream's exit code of a container killed with SIGKILL. */
  private static final int KILLED = 137;

  private PodShutdown() {}

  /** When the grace period of a pod marked for deletion ends. */
  static Instant deadline(Pod pod) {
    return Timestamps.parse(pod.getMetadata().getDeletionTimestamp());
  }

  /** When the pod's containers have stopped: after their shutdown time, at the latest at the deadline. */
  static Instant stoppedAt(Pod pod, ClusterTiming timing) {
    Instant deadline = deadline(pod);
    long grace = pod.getMetadata().getDeletionGracePeriodSeconds() == null ? 0
        : pod.getMetadata().getDeletionGracePeriodSeconds();
    Instant signalled = deadline.minusSeconds(grace);
    Instant stopped = signalled.plus(shutdownTime(pod, timing));
    return stopped.isBefore(deadline) ? stopped : deadline;
  }

  /**
   * How long the pod's containers take to stop after SIGTERM: the annotation's seconds if set,
   * for ever (until killed) for a {@code slowstop} image, otherwise as long as the kubelet takes to
   * notice an exit.
   */
  static Duration shutdownTime(Pod pod, ClusterTiming timing) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    String seconds = annotations == null ? null : annotations.get(STOP_SECONDS);
    if (seconds != null) {
      try {
        return Duration.ofMillis(Math.max(0, Math.round(Double.parseDouble(seconds) * 1000)));
      } catch (NumberFormatException e) {
        // a malformed annotation is ignored, as the kubelet ignores annotations it cannot read
      }
    }
    if (pod.getSpec().getContainers().stream().anyMatch(c -> ImageBehaviour.of(c.getImage()) == ImageBehaviour.SLOWSTOP)) {
      return Duration.ofDays(1);
    }
    return timing.exitNoticedAfter();
  }

  /** The status while the containers stop: running, no longer ready. */
  static PodStatus stopping(Pod pod, Instant now) {
    PodStatus current = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
    List<ContainerStatus> containers = new ArrayList<>();
    for (ContainerStatus c : listOf(current.getContainerStatuses())) {
      containers.add(new ContainerStatusBuilder(c).withReady(false).build());
    }
    String unready = String.join(" ", containers.stream().map(ContainerStatus::getName).toList());
    return new PodStatusBuilder(current)
        .withConditions(notReady(current, now, "ContainersNotReady", "containers with unready status: [" + unready + "]"))
        .withContainerStatuses(containers).build();
  }

  /**
   * The status once the containers have stopped at {@code stoppedAt}: each terminated (exit 0,
   * or killed with 137 when it outlived the grace period), and the pod's phase terminal as the
   * kubelet reports it before it deletes the pod.
   */
  static PodStatus stopped(Pod pod, ClusterTiming timing) {
    PodStatus current = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
    Instant stoppedAt = stoppedAt(pod, timing);
    boolean killed = deadline(pod).minusSeconds(graceOf(pod)).plus(shutdownTime(pod, timing)).isAfter(deadline(pod));
    String finished = Timestamps.format(stoppedAt);
    List<ContainerStatus> containers = new ArrayList<>();
    for (ContainerStatus c : listOf(current.getContainerStatuses())) {
      String started = c.getState() != null && c.getState().getRunning() != null
          ? c.getState().getRunning().getStartedAt() : null;
      containers.add(new ContainerStatusBuilder(c).withReady(false).withStarted(false).withNewState()
          .withNewTerminated().withExitCode(killed ? KILLED : 0).withReason(killed ? "Error" : "Completed")
          .withStartedAt(started).withFinishedAt(finished).endTerminated().endState().build());
    }
    return new PodStatusBuilder(current).withPhase(killed ? "Failed" : "Succeeded")
        .withConditions(notReady(current, stoppedAt, "PodCompleted", null)).withContainerStatuses(containers).build();
  }

  private static long graceOf(Pod pod) {
    return pod.getMetadata().getDeletionGracePeriodSeconds() == null ? 0
        : pod.getMetadata().getDeletionGracePeriodSeconds();
  }

  /** The conditions with Ready and ContainersReady False for {@code reason}, changed at {@code now} if they were True. */
  private static List<PodCondition> notReady(PodStatus status, Instant now, String reason, String message) {
    List<PodCondition> conditions = new ArrayList<>();
    for (PodCondition c : listOf(status.getConditions())) {
      boolean readiness = "Ready".equals(c.getType()) || "ContainersReady".equals(c.getType());
      String changed = "False".equals(c.getStatus()) ? c.getLastTransitionTime() : Timestamps.format(now);
      conditions.add(readiness ? new PodConditionBuilder(c).withStatus("False").withReason(reason)
          .withMessage(message).withLastTransitionTime(changed).build() : c);
    }
    return conditions;
  }

  private static <T> List<T> listOf(List<T> list) {
    return list == null ? List.of() : list;
  }
}
