package dev.hotfix.health;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;

/**
 * Scans the new revision's pods for faults that will not heal by waiting: crash loops, image
 * pull errors, restarts over the limit, and pods not ready within the timeout. One faulty pod
 * fails the revision at once, without waiting for the progress deadline.
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
  public Verdict judge(RevisionUnderTest revision) {
    Optional<Instant> nextReadyDeadline = Optional.empty();
    for (Pod pod : revision.pods()) {
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      String name = pod.getMetadata().getName();
      for (ContainerStatus cs : containerStatuses(pod)) {
        if (cs.getState() != null && cs.getState().getWaiting() != null
            && FATAL_WAITING.contains(cs.getState().getWaiting().getReason())) {
          String detail = cs.getState().getWaiting().getMessage();
          return Verdict.failed(CAUSE, "pod " + name + " container " + cs.getName() + ": "
              + cs.getState().getWaiting().getReason() + (detail == null || detail.isBlank() ? "" : " (" + detail + ")")
              + ", restarts " + orZero(cs.getRestartCount()));
        }
        if (orZero(cs.getRestartCount()) > revision.maxRestarts()) {
          return Verdict.failed(CAUSE, "pod " + name + " container " + cs.getName() + " restarted "
              + cs.getRestartCount() + " times (maxRestarts " + revision.maxRestarts() + ")");
        }
      }
      if (!isReady(pod)) {
        Instant created = Instant.parse(pod.getMetadata().getCreationTimestamp());
        Instant readyBy = created.plus(revision.podReadyTimeout());
        if (!revision.now().isBefore(readyBy)) {
          return Verdict.failed(CAUSE, "pod " + name + " not ready after " + revision.podReadyTimeout().toSeconds()
              + "s (podReadyTimeoutSeconds)" + notReadyDetail(pod));
        }
        nextReadyDeadline = nextReadyDeadline.map(t -> t.isBefore(readyBy) ? t : readyBy).or(() -> Optional.of(readyBy));
      }
    }
    return nextReadyDeadline.isPresent()
        ? Verdict.pending("waiting for new pods to become ready", nextReadyDeadline)
        : Verdict.healthy("no pod faults in " + revision.pods().size() + " new pods");
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

  private static java.util.List<ContainerStatus> containerStatuses(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null ? java.util.List.of()
        : pod.getStatus().getContainerStatuses();
  }

  private static int orZero(Integer i) {
    return i == null ? 0 : i;
  }
}
