package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotfix.cli.hotfix.HumanDuration;
import java.time.Instant;

/**
 * The READY, STATUS and RESTARTS columns of {@code kubectl get pods}, derived from the pod's
 * container statuses the way kubectl does: a waiting or terminated container's reason
 * ({@code CrashLoopBackOff}, {@code ErrImagePull}, {@code Completed}) wins over the phase.
 */
final class PodStatusColumn {
  private PodStatusColumn() {
  }

  /** {@code ready/total} containers. */
  static String ready(JsonNode pod) {
    int total = pod.path("spec").path("containers").size();
    int ready = 0;
    for (JsonNode container : pod.path("status").path("containerStatuses")) {
      if (container.path("ready").asBoolean()) {
        ready++;
      }
    }
    return ready + "/" + total;
  }

  /** What {@code kubectl get pods} shows under STATUS. */
  static String status(JsonNode pod) {
    JsonNode status = pod.path("status");
    String reason = status.path("reason").asText(status.path("phase").asText("Pending"));
    boolean running = false;
    JsonNode containers = status.path("containerStatuses");
    // kubectl walks the containers last to first, so the first container's reason wins
    for (int i = containers.size() - 1; i >= 0; i--) {
      JsonNode state = containers.get(i).path("state");
      JsonNode waiting = state.path("waiting");
      JsonNode terminated = state.path("terminated");
      if (!waiting.path("reason").asText("").isEmpty()) {
        reason = waiting.path("reason").asText();
      } else if (!terminated.isMissingNode()) {
        reason = terminated.path("reason").asText("");
        if (reason.isEmpty()) {
          reason = terminated.has("signal") ? "Signal:" + terminated.path("signal").asInt()
              : "ExitCode:" + terminated.path("exitCode").asInt();
        }
      } else if (state.has("running") && containers.get(i).path("ready").asBoolean()) {
        running = true;
      }
    }
    if (reason.equals("Completed") && running) {
      reason = hasReadyCondition(status) ? "Running" : "NotReady";
    }
    if (!pod.path("metadata").path("deletionTimestamp").asText("").isEmpty()) {
      reason = "Terminating";
    }
    return reason;
  }

  /** Total restarts, with how long ago the last container exit was ({@code 4 (12s ago)}). */
  static String restarts(JsonNode pod, Instant now) {
    int restarts = 0;
    String lastExit = null;
    for (JsonNode container : pod.path("status").path("containerStatuses")) {
      restarts += container.path("restartCount").asInt();
      String finished = container.path("lastState").path("terminated").path("finishedAt").asText("");
      if (!finished.isEmpty() && (lastExit == null || finished.compareTo(lastExit) > 0)) {
        lastExit = finished;
      }
    }
    return restarts > 0 && lastExit != null
        ? restarts + " (" + HumanDuration.since(lastExit, now) + " ago)"
        : String.valueOf(restarts);
  }

  private static boolean hasReadyCondition(JsonNode status) {
    for (JsonNode condition : status.path("conditions")) {
      if (condition.path("type").asText().equals("Ready") && condition.path("status").asText().equals("True")) {
        return true;
      }
    }
    return false;
  }
}
