package dev.hotfix.sandbox.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The image tags that stand for broken baselines and transient faults, at chosen instants (default pace). */
class FaultTriggerTimelineTest {
  private static final Instant BOUND = Instant.parse("2026-01-01T00:00:00Z");

  private static ContainerTimeline.Snapshot at(String image, double seconds) {
    return new ContainerTimeline("app", image, "ns/pod(uid)", BOUND, ClusterTiming.defaults())
        .at(BOUND.plus(Duration.ofMillis((long) (seconds * 1000))));
  }

  @Test
  void pullOnceFailsItsFirstPullThenRunsAndGetsReady() {
    // pull fails at 1s (ErrImagePull [1,2)), backs off 1s (ImagePullBackOff [2,3)), pulls, starts at 4s
    assertThat(at("web:1-pullonce", 1.5).status().getState().getWaiting().getReason()).isEqualTo("ErrImagePull");
    assertThat(at("web:1-pullonce", 2.5).status().getState().getWaiting().getReason()).isEqualTo("ImagePullBackOff");
    assertThat(at("web:1-pullonce", 3.5).status().getState().getWaiting().getReason()).isEqualTo("ContainerCreating");
    var running = at("web:1-pullonce", 4);
    assertThat(running.status().getReady()).isTrue();
    assertThat(running.status().getRestartCount()).isZero();
    assertThat(running.nextChange()).isNull();
  }

  @Test
  void oomIsKilledForMemoryWithExitCode137() {
    var backingOff = at("web:1-oom", 2.5);
    assertThat(backingOff.status().getLastState().getTerminated().getReason()).isEqualTo("OOMKilled");
    assertThat(backingOff.status().getLastState().getTerminated().getExitCode()).isEqualTo(137);
  }

  @Test
  void aCrashingInitContainerHoldsThePodInInitialization() {
    var status = statusWithInitContainer("web-migrate:1-initcrash");

    assertThat(status.getPhase()).isEqualTo("Pending");
    assertThat(status.getInitContainerStatuses()).singleElement()
        .satisfies(c -> assertThat(c.getState().getWaiting().getReason()).isIn("CrashLoopBackOff", null));
    assertThat(status.getInitContainerStatuses().get(0).getRestartCount()).isPositive();
    assertThat(status.getContainerStatuses()).singleElement()
        .satisfies(c -> assertThat(c.getState().getWaiting().getReason()).isEqualTo("PodInitializing"));
    assertThat(status.getConditions()).filteredOn(c -> c.getType().equals("Initialized")).singleElement()
        .extracting(PodCondition::getReason).isEqualTo("ContainersNotInitialized");
  }

  @Test
  void aCompletedInitContainerLetsThePodRun() {
    var status = statusWithInitContainer("web-migrate:1");

    assertThat(status.getPhase()).isEqualTo("Running");
    assertThat(status.getInitContainerStatuses().get(0).getState().getTerminated().getReason()).isEqualTo("Completed");
    assertThat(status.getContainerStatuses().get(0).getReady()).isTrue();
  }

  /** The status 30 s after binding of a pod whose init container {@code migrate} runs {@code image}. */
  private static PodStatus statusWithInitContainer(String image) {
    Pod pod = new PodBuilder().withNewMetadata().withNamespace("ns").withName("web-1").withUid("uid").endMetadata()
        .withNewSpec().addNewInitContainer().withName("migrate").withImage(image).endInitContainer()
        .addNewContainer().withName("app").withImage("web:1").endContainer().endSpec().build();
    return SimulatedPodStatus.of(pod, BOUND, "10.244.0.1", ClusterTiming.defaults(), BOUND.plusSeconds(30)).status();
  }
}
