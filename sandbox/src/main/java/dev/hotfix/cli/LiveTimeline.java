package dev.hotfix.cli;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.rollout.CanaryReplicaSet;
import dev.hotfix.health.PodFaults;
import dev.hotfix.operator.PhaseListener;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The demo's terminal view: phase changes, replica counts as they move, and the first faulty
 * pod seen (whose time is the start of "time to detect"). Thread-safe: informers and the
 * operator call it from their own threads.
 */
final class LiveTimeline implements PhaseListener {
  private final PrintStream out;
  private volatile Instant origin = Instant.now();
  private volatile String lastReplicaLine = "";
  private volatile String lastTemplate = "";
  private final Map<String, Instant> templateSeen = new ConcurrentHashMap<>();
  private final Map<String, Instant> firstFaultSeen = new ConcurrentHashMap<>();
  private final Map<String, Instant> phaseAt = new ConcurrentHashMap<>();
  /** The canary pods seen in this act, by name, and whether their removal was seen. */
  private final Map<String, Boolean> canaryPods = new ConcurrentHashMap<>();
  /** The fewest ready replicas the Deployment reported in this act. */
  private volatile int fewestReady = Integer.MAX_VALUE;

  LiveTimeline(PrintStream out) {
    this.out = out;
  }

  /** Restarts the clock for the next act. */
  void restart() {
    origin = Instant.now();
    firstFaultSeen.clear();
    phaseAt.clear();
    templateSeen.clear();
    canaryPods.clear();
    fewestReady = Integer.MAX_VALUE;
  }

  void note(String what) {
    line("", what);
  }

  @Override
  public void phaseChanged(Hotfix hotfix, Phase from, Phase to, Instant at) {
    line(String.format("%-12s", to), hotfix.getStatus().message);
    synchronized (phaseAt) {
      phaseAt.put(to.name(), at);
      phaseAt.notifyAll();
    }
  }

  /** Waits until the operator reported {@code phase} (the API may show it a moment before the listener runs). */
  void awaitPhase(Phase phase, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    synchronized (phaseAt) {
      while (!phaseAt.containsKey(phase.name()) && Instant.now().isBefore(deadline)) {
        phaseAt.wait(Math.max(1, Duration.between(Instant.now(), deadline).toMillis()));
      }
    }
  }

  /** A Deployment status change: prints replica counts when they changed. */
  void deploymentChanged(Deployment d) {
    DeploymentStatus s = d.getStatus();
    if (s == null) {
      return;
    }
    String template = d.getSpec().getTemplate().getSpec().getContainers().stream()
        .map(c -> c.getName() + "=" + c.getImage()).reduce((a, b) -> a + ", " + b).orElse("");
    if (!template.equals(lastTemplate)) {
      lastTemplate = template;
      templateSeen.putIfAbsent(template, Instant.now());
      line(String.format("%-12s", "template"), template);
    }
    int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    fewestReady = Math.min(fewestReady, orZero(s.getReadyReplicas()));
    String counts = String.format("replicas %d/%d ready, %d updated, %d available, %d total",
        orZero(s.getReadyReplicas()), desired, orZero(s.getUpdatedReplicas()), orZero(s.getAvailableReplicas()),
        orZero(s.getReplicas()));
    if (!counts.equals(lastReplicaLine)) {
      lastReplicaLine = counts;
      line(String.format("%-12s", "deployment"), counts);
    }
  }

  /**
   * A pod status change: prints the first fault of each pod (crash, pull error, restart), and a
   * canary pod's creation and removal.
   */
  void podChanged(Pod pod) {
    canaryPodChanged(pod);
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return;
    }
    for (ContainerStatus cs : pod.getStatus().getContainerStatuses()) {
      String fault = cs.getState() != null && cs.getState().getWaiting() != null
          && !Objects.equals("ContainerCreating", cs.getState().getWaiting().getReason())
          ? cs.getState().getWaiting().getReason()
          : cs.getLastState() != null && cs.getLastState().getTerminated() != null ? "exited with code "
              + cs.getLastState().getTerminated().getExitCode() : null;
      if (fault != null && firstFaultSeen.putIfAbsent(pod.getMetadata().getName(), Instant.now()) == null) {
        line(String.format("%-12s", "pod fault"), pod.getMetadata().getName() + " container " + cs.getName() + ": "
            + fault + (Readiness.isPodReady(pod) ? "" : " (not ready)"));
      }
    }
  }

  private void canaryPodChanged(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    if (labels == null || !labels.containsKey(CanaryReplicaSet.LABEL)) {
      return;
    }
    String name = pod.getMetadata().getName();
    String image = pod.getSpec().getContainers().stream().map(c -> c.getName() + "=" + c.getImage())
        .reduce((a, b) -> a + ", " + b).orElse("");
    if (canaryPods.putIfAbsent(name, false) == null) {
      line(String.format("%-12s", "canary pod"), name + " created, " + image + ", beside the Deployment's own pods");
    }
    if (pod.getMetadata().getDeletionTimestamp() != null && !canaryPods.put(name, true)) {
      line(String.format("%-12s", "canary pod"), name + " removed");
    }
  }

  /** The canary pods seen in this act. */
  int canaryPodsSeen() {
    return canaryPods.size();
  }

  /** The fewest ready replicas the Deployment reported in this act, if it reported any. */
  Optional<Integer> fewestReady() {
    return fewestReady == Integer.MAX_VALUE ? Optional.empty() : Optional.of(fewestReady);
  }

  /** When the first faulty pod of this act was seen, if any. */
  Optional<Instant> firstFault() {
    return firstFaultSeen.values().stream().min(Instant::compareTo);
  }

  /** When the Deployment was first seen with this pod template (e.g. {@code app=web:1}) in this act. */
  Optional<Instant> templateSeen(String images) {
    return Optional.ofNullable(templateSeen.get(images));
  }

  Optional<Instant> phaseAt(Phase phase) {
    return Optional.ofNullable(phaseAt.get(phase.name()));
  }

  private synchronized void line(String what, String message) {
    double seconds = Duration.between(origin, Instant.now()).toMillis() / 1000.0;
    out.printf("  %+7.1fs  %s %s%n", seconds, what, message == null ? "" : message);
    out.flush();
  }

  private static int orZero(Integer i) {
    return i == null ? 0 : i;
  }
}
