package dev.hotfix.health;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Scans the new revision's pods for faults that will not heal by waiting: crash loops, image
 * pull errors, restarts over the limit, and pods not ready within the timeout. One faulty pod
 * fails the revision at once (FAIL), without waiting for the progress deadline; pods still
 * starting are NO_DATA until they are ready or their timeout passes; all ready is PASS. The
 * value is the number of pods judged.
 */
public final class PodFaults implements HealthCheck {
  public static final String CAUSE = "pod_fault";

  /** Waiting reasons of a container that will not start or keeps dying. */
  private static final Set<String> FATAL_WAITING = Set.of("CrashLoopBackOff", "ErrImagePull", "ImagePullBackOff",
      "InvalidImageName", "CreateContainerConfigError", "CreateContainerError", "RunContainerError");

  @Override
  public String name() {
    return "pods";
  }

  @Override
  public String cause() {
    return CAUSE;
  }

  @Override
  public Measurement measure(RevisionUnderTest revision) {
    boolean starting = false;
    for (Pod pod : revision.pods()) {
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      String name = pod.getMetadata().getName();
      for (ContainerStatus cs : containerStatuses(pod)) {
        if (cs.getState() != null && cs.getState().getWaiting() != null
            && FATAL_WAITING.contains(cs.getState().getWaiting().getReason())) {
          String detail = cs.getState().getWaiting().getMessage();
          return fail(revision, "pod " + name + " container " + cs.getName() + ": "
              + cs.getState().getWaiting().getReason() + (detail == null || detail.isBlank() ? "" : " (" + detail + ")")
              + ", restarts " + orZero(cs.getRestartCount()));
        }
        if (orZero(cs.getRestartCount()) > revision.maxRestarts()) {
          return fail(revision, "pod " + name + " container " + cs.getName() + " restarted "
              + cs.getRestartCount() + " times (maxRestarts " + revision.maxRestarts() + ")");
        }
      }
      if (!isReady(pod)) {
        if (!revision.now().isBefore(readyBy(pod, revision))) {
          return fail(revision, "pod " + name + " not ready after " + revision.podReadyTimeout().toSeconds()
              + "s (podReadyTimeoutSeconds)" + notReadyDetail(pod));
        }
        starting = true;
      }
    }
    OptionalDouble judged = OptionalDouble.of(revision.pods().size());
    return starting
        ? new Measurement(Measurement.Result.NO_DATA, judged, "waiting for new pods to become ready", revision.now())
        : new Measurement(Measurement.Result.PASS, judged, "no pod faults in " + revision.pods().size() + " new pods",
            revision.now());
  }

  /** The earliest time a pod still starting would exceed its ready timeout. */
  @Override
  public Optional<Instant> recheckAt(RevisionUnderTest revision) {
    return revision.pods().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null && !isReady(p))
        .map(p -> readyBy(p, revision)).min(Instant::compareTo);
  }

  private static Instant readyBy(Pod pod, RevisionUnderTest revision) {
    return Instant.parse(pod.getMetadata().getCreationTimestamp()).plus(revision.podReadyTimeout());
  }

  private static Measurement fail(RevisionUnderTest revision, String message) {
    return new Measurement(Measurement.Result.FAIL, OptionalDouble.empty(), message, revision.now());
  }

  /** Whether the pod's Ready condition is True. */
  public static boolean isReady(Pod pod) {
    return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions()
        .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static String notReadyDetail(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getConditions() == null ? "" : pod.getStatus().getConditions()
        .stream().filter(c -> "Ready".equals(c.getType()) && c.getReason() != null)
        .max(Comparator.comparing(PodCondition::getType)).map(c -> ": " + c.getReason()).orElse("");
  }

  private static List<ContainerStatus> containerStatuses(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null ? List.of()
        : pod.getStatus().getContainerStatuses();
  }

  private static int orZero(Integer i) {
    return i == null ? 0 : i;
  }
}
