package dev.hotfix.sandbox.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each image tag's pod status, as the simulated kubelet reports it. */
class KubeletTest {

  private static final Duration WAIT = Duration.ofSeconds(15);
  @RegisterExtension static final SandboxFixture sandbox = new SandboxFixture();

  @Test
  void healthyPodIsScheduledStartedAndReady() {
    try (PodHistory history = new PodHistory("healthy", "shop:1.0")) {
      await().atMost(WAIT).until(() -> Readiness.isPodReady(history.latest()));

      Pod pod = history.latest();
      assertThat(pod.getSpec().getNodeName()).isEqualTo("sandbox-node");
      assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
      assertThat(pod.getStatus().getPodIP()).startsWith("10.244.");
      assertThat(pod.getStatus().getStartTime()).isNotNull();
      assertThat(pod.getStatus().getConditions())
          .extracting(PodCondition::getType, PodCondition::getStatus)
          .containsExactlyInAnyOrder(
              tuple("PodScheduled", "True"),
              tuple("Initialized", "True"),
              tuple("ContainersReady", "True"),
              tuple("Ready", "True"));
      assertThat(pod.getStatus().getConditions()).allSatisfy(c -> assertThat(c.getLastTransitionTime()).isNotNull());
      ContainerStatus c = container(pod);
      assertThat(c.getName()).isEqualTo("app");
      assertThat(c.getImage()).isEqualTo("shop:1.0");
      assertThat(c.getImageID()).startsWith("shop@sha256:");
      assertThat(c.getReady()).isTrue();
      assertThat(c.getStarted()).isTrue();
      assertThat(c.getRestartCount()).isZero();
      assertThat(c.getState().getRunning().getStartedAt()).isNotNull();
      // before it was ready it was seen creating its container
      assertThat(history.waitingReasons()).contains("ContainerCreating");
    }
  }

  @Test
  void crashloopPodRestartsWithGrowingBackOffAndIsNeverReady() {
    try (PodHistory history = new PodHistory("crasher", "shop:1.1-crashloop")) {
      await().atMost(WAIT).until(() -> container(history.latest()).getRestartCount() >= 3);

      assertThat(history.waitingReasons()).contains("CrashLoopBackOff");
      assertThat(history.seen).noneMatch(Readiness::isPodReady);
      Pod pod = history.latest();
      assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
      var lastExit = container(pod).getLastState().getTerminated();
      assertThat(lastExit.getReason()).isEqualTo("Error");
      assertThat(lastExit.getExitCode()).isEqualTo(1);
      List<String> backOffs = history.seen.stream()
          .map(p -> container(p).getState())
          .filter(state -> state != null && state.getWaiting() != null)
          .map(state -> state.getWaiting())
          .filter(w -> "CrashLoopBackOff".equals(w.getReason()))
          .map(w -> w.getMessage().split(" ")[1])
          .distinct()
          .toList();
      // 300ms doubling: each back-off seen is 0.3 s times a power of two, longer than the one before
      // (a kubelet that syncs late under load may skip one; the order and the steps are the claim)
      List<Double> seconds = backOffs.stream().map(b -> Double.parseDouble(b.replace("s", ""))).toList();
      assertThat(seconds).isNotEmpty().isSorted().doesNotHaveDuplicates()
          .allSatisfy(b -> assertThat(Math.log(b / 0.3) / Math.log(2)).isCloseTo(Math.rint(Math.log(b / 0.3)
              / Math.log(2)), org.assertj.core.data.Offset.offset(1e-9)));
      // kubectl describe shows one BackOff warning whose count grows with the restarts
      await().atMost(WAIT).untilAsserted(() -> assertThat(eventsFor("crasher"))
          .filteredOn(e -> "BackOff".equals(e.getReason()))
          .singleElement()
          .satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getMessage()).startsWith("Back-off restarting failed container app in pod crasher_apps(");
            assertThat(e.getCount()).isGreaterThanOrEqualTo(2);
            assertThat(e.getSource().getComponent()).isEqualTo("kubelet");
          }));
    }
  }

  @Test
  void unreadyPodRunsButNeverBecomesReady() {
    try (PodHistory history = new PodHistory("unready", "shop:1.2-unready")) {
      await().atMost(WAIT).until(() -> Boolean.TRUE.equals(container(history.latest()).getStarted()));
      // well past the start delay it is still not ready
      await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
          .until(() -> !Readiness.isPodReady(history.latest()));

      Pod pod = history.latest();
      assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
      PodCondition ready = pod.getStatus().getConditions().stream()
          .filter(c -> "Ready".equals(c.getType())).findFirst().orElseThrow();
      assertThat(ready.getStatus()).isEqualTo("False");
      assertThat(ready.getReason()).isEqualTo("ContainersNotReady");
      assertThat(ready.getMessage()).isEqualTo("containers with unready status: [app]");
      assertThat(container(pod).getState().getRunning()).isNotNull();
    }
  }

  @Test
  void pullerrPodAlternatesErrImagePullAndImagePullBackOffAndNeverStarts() {
    try (PodHistory history = new PodHistory("puller", "shop:1.3-pullerr")) {
      await().atMost(WAIT).untilAsserted(() -> assertThat(history.waitingReasons())
          .containsSubsequence("ErrImagePull", "ImagePullBackOff", "ErrImagePull", "ImagePullBackOff"));

      assertThat(history.seen).allSatisfy(p -> {
        assertThat(Pods.phase(p)).isEqualTo("Pending");
        assertThat(p.getStatus() == null || p.getStatus().getContainerStatuses().isEmpty()
            || !container(p).getStarted()).isTrue();
      });
      await().atMost(WAIT).untilAsserted(() -> assertThat(eventsFor("puller"))
          .extracting(Event::getMessage)
          .contains("Error: ErrImagePull", "Error: ImagePullBackOff", "Back-off pulling image \"shop:1.3-pullerr\""));
    }
  }

  private static List<Event> eventsFor(String podName) {
    return sandbox.client.v1().events().inNamespace(SandboxFixture.NS).list().getItems().stream()
        .filter(e -> podName.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  private static ContainerStatus container(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses().isEmpty()) {
      return new ContainerStatusBuilder().withRestartCount(0).build(); // not reported yet
    }
    return pod.getStatus().getContainerStatuses().get(0);
  }

  /** Creates a bare pod and records every version of it a watch delivers. */
  private static final class PodHistory implements AutoCloseable {
    final List<Pod> seen = new CopyOnWriteArrayList<>();
    private final Watch watch;
    private final String name;

    PodHistory(String name, String image) {
      this.name = name;
      watch = sandbox.client.pods().inNamespace(SandboxFixture.NS).withName(name).watch(new Watcher<>() {
        @Override
        public void eventReceived(Action action, Pod pod) {
          seen.add(pod);
        }

        @Override
        public void onClose(WatcherException cause) {}
      });
      sandbox.client.pods().resource(new PodBuilder()
          .withNewMetadata().withName(name).withNamespace(SandboxFixture.NS).endMetadata()
          .withNewSpec().addNewContainer().withName("app").withImage(image).endContainer().endSpec()
          .build()).create();
    }

    Pod latest() {
      await().atMost(WAIT).until(() -> !seen.isEmpty());
      return seen.get(seen.size() - 1);
    }

    /** The container's waiting reasons in the order seen, repeats collapsed. */
    List<String> waitingReasons() {
      List<String> reasons = new ArrayList<>();
      for (Pod p : seen) {
        var waiting = container(p).getState() == null ? null : container(p).getState().getWaiting();
        String reason = waiting == null ? null : waiting.getReason();
        if (reason != null && (reasons.isEmpty() || !reasons.get(reasons.size() - 1).equals(reason))) {
          reasons.add(reason);
        }
      }
      return reasons;
    }

    @Override
    public void close() {
      watch.close();
      sandbox.client.pods().inNamespace(SandboxFixture.NS).withName(name).delete();
    }
  }
}
