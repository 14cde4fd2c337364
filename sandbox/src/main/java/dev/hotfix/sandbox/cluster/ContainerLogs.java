package dev.hotfix.sandbox.cluster;

import dev.hotfix.sandbox.ImageBehaviour;
import dev.hotfix.sandbox.api.ApiError;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the sandbox's kubelet answers for a container's log: no process runs, so the lines are
 * written from the container's image behaviour and its reported state (started, exited with a
 * code), the same for the same status. A smoke-test image ({@code smoke-pass},
 * {@code smoke-fail}) logs its checks and their outcome, so a report can show why it failed.
 */
public final class ContainerLogs {

  private ContainerLogs() {
  }

  /** The log of one container, refused as upstream's kubelet refuses it. */
  public static String of(Pod pod, String containerName) {
    List<Container> containers = pod.getSpec().getContainers();
    String podName = pod.getMetadata().getName();
    Container container;
    if (containerName == null || containerName.isEmpty()) {
      if (containers.size() != 1) {
        throw ApiError.badRequest("a container name must be specified for pod " + podName + ", choose one of: ["
            + containers.stream().map(Container::getName).collect(Collectors.joining(" ")) + "]");
      }
      container = containers.get(0);
    } else {
      container = containers.stream().filter(c -> containerName.equals(c.getName())).findFirst()
          .orElseThrow(() -> ApiError.badRequest("container " + containerName + " is not valid for pod " + podName));
    }
    ContainerStatus status = pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null ? null
        : pod.getStatus().getContainerStatuses().stream().filter(s -> container.getName().equals(s.getName()))
            .findFirst().orElse(null);
    boolean everRan = status != null && status.getState() != null && (Boolean.TRUE.equals(status.getStarted())
        || status.getState().getTerminated() != null
        || status.getLastState() != null && status.getLastState().getTerminated() != null);
    if (!everRan) {
      String reason = status == null || status.getState() == null || status.getState().getWaiting() == null
          ? "ContainerCreating" : status.getState().getWaiting().getReason();
      throw ApiError.badRequest("container \"" + container.getName() + "\" in pod \"" + podName + "\" is waiting to "
          + "start: " + reason);
    }
    StringBuilder log = new StringBuilder();
    ImageBehaviour behaviour = ImageBehaviour.of(container.getImage());
    String env = container.getEnv() == null ? "" : container.getEnv().stream()
        .filter(e -> e.getName().startsWith("HOTFIX_") && e.getValue() != null)
        .map(e -> e.getName() + "=" + e.getValue()).collect(Collectors.joining(" "));
    line(log, "starting " + container.getImage() + (env.isEmpty() ? "" : " (" + env + ")"));
    switch (behaviour) {
      case SMOKE_PASS -> {
        line(log, "smoke test: GET /healthz: 200 OK");
        line(log, "smoke test: GET /checkout: 200 OK");
        line(log, "smoke test: 2 of 2 checks passed");
      }
      case SMOKE_FAIL -> {
        line(log, "smoke test: GET /healthz: 200 OK");
        line(log, "smoke test: GET /checkout: 500 Internal Server Error (expected 200)");
        line(log, "smoke test: 1 of 2 checks failed");
      }
      case ERRORS -> line(log, "serving HTTP on :8080 (about half the requests answer 500)");
      default -> line(log, "serving HTTP on :8080");
    }
    var terminated = status.getState().getTerminated();
    if (terminated != null) {
      line(log, "exited with code " + terminated.getExitCode());
    }
    return log.toString();
  }

  private static void line(StringBuilder log, String text) {
    log.append(text).append('\n');
  }
}
