package dev.hotfix.sandbox.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
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

/**
 * A simulated pod's status at one instant, assembled from its containers' timelines as the
 * kubelet reports it: phase, the PodScheduled/Initialized/ContainersReady/Ready conditions, IPs,
 * start time and container statuses, plus the instant at which any of it next changes.
 */
final class SimulatedPodStatus {

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
    String podId = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName()
        + "(" + pod.getMetadata().getUid() + ")";
    List<ContainerStatus> containers = new ArrayList<>();
    List<String> unready = new ArrayList<>();
    boolean allStarted = true;
    Instant readySince = boundAt;
    Instant next = null;
    for (Container c : pod.getSpec().getContainers()) {
      ContainerTimeline.Snapshot s = new ContainerTimeline(c.getName(), c.getImage(), podId, boundAt, timing).at(now);
      containers.add(s.status());
      allStarted &= s.everStarted();
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
    // readiness changes only once in these behaviours (never ready, or ready from one instant on),
    // so the condition last changed when the pod was bound or when its last container got ready
    String readyChanged = Timestamps.format(ready ? readySince : boundAt);
    String bound = Timestamps.format(boundAt);
    PodStatus status =
        new PodStatusBuilder()
            .withPhase(allStarted ? "Running" : "Pending")
            .withConditions(
                condition("Initialized", true, bound, null),
                condition("Ready", ready, readyChanged, unready),
                condition("ContainersReady", ready, readyChanged, unready),
                condition("PodScheduled", true, bound, null))
            .withHostIP(HOST_IP)
            .withHostIPs(new HostIP(HOST_IP))
            .withPodIP(podIP)
            .withPodIPs(new PodIP(podIP))
            .withStartTime(bound)
            .withQosClass("BestEffort")
            .withContainerStatuses(containers)
            .build();
    return new Result(status, next);
  }

  private static PodCondition condition(String type, boolean isTrue, String lastTransition, List<String> unready) {
    PodConditionBuilder b =
        new PodConditionBuilder().withType(type).withStatus(isTrue ? "True" : "False").withLastTransitionTime(lastTransition);
    if (!isTrue && unready != null) {
      b.withReason("ContainersNotReady")
          .withMessage("containers with unready status: [" + String.join(" ", unready) + "]");
    }
    return b.build();
  }
}
