package dev.hotfix.sandbox.cluster;

import dev.hotfix.notify.EventRecorder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The kubelet's warning events for a container entering a failure state, with upstream's
 * reasons and messages: {@code BackOff} for a crash loop, {@code Failed} and {@code BackOff} for
 * an image that cannot be pulled. Routine events (Pulled, Created, Started) are left out: they
 * would double the sandbox's API traffic and tell an operator nothing the pod status does not.
 */
final class ContainerEvents {

  /** One event to record. */
  record ContainerEvent(String type, String reason, String message) {}

  private ContainerEvents() {}

  /** The events for a container's change from {@code before} (null: first report) to {@code after}. */
  static List<ContainerEvent> between(Pod pod, ContainerStatus before, ContainerStatus after) {
    String reason = waitingReason(after);
    if (reason == null || Objects.equals(reason, waitingReason(before))) {
      return List.of();
    }
    String image = after.getImage();
    List<ContainerEvent> events = new ArrayList<>();
    switch (reason) {
      case "CrashLoopBackOff" -> events.add(new ContainerEvent(
          EventRecorder.WARNING, "BackOff",
          "Back-off restarting failed container " + after.getName() + " in pod " + pod.getMetadata().getName()
              + "_" + pod.getMetadata().getNamespace() + "(" + pod.getMetadata().getUid() + ")"));
      case "ErrImagePull" -> {
        events.add(new ContainerEvent(EventRecorder.WARNING, "Failed",
            "Failed to pull image \"" + image + "\": " + after.getState().getWaiting().getMessage()));
        events.add(new ContainerEvent(EventRecorder.WARNING, "Failed", "Error: ErrImagePull"));
      }
      case "ImagePullBackOff" -> {
        events.add(new ContainerEvent(EventRecorder.NORMAL, "BackOff", "Back-off pulling image \"" + image + "\""));
        events.add(new ContainerEvent(EventRecorder.WARNING, "Failed", "Error: ImagePullBackOff"));
      }
      default -> { }
    }
    return events;
  }

  private static String waitingReason(ContainerStatus status) {
    if (status == null || status.getState() == null || status.getState().getWaiting() == null) {
      return null;
    }
    return status.getState().getWaiting().getReason();
  }
}
