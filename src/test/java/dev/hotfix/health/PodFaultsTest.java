package dev.hotfix.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodFaultsTest {
  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  private final PodFaults faults = new PodFaults();

  @Test
  void crashLoopIsAFaultAtOnce() {
    Measurement m = judge(pod("web-1", false, "CrashLoopBackOff", 2), T0.plusSeconds(3), 0);

    assertThat(m.result()).isEqualTo(Measurement.Result.FAIL);
    assertThat(faults.cause()).isEqualTo("pod_fault");
    assertThat(m.message()).contains("pod web-1", "container app", "CrashLoopBackOff", "restarts 2");
  }

  @Test
  void imagePullErrorsAreFaults() {
    assertThat(judge(pod("web-1", false, "ErrImagePull", 0), T0.plusSeconds(1), 0).message()).contains("ErrImagePull");
    assertThat(judge(pod("web-1", false, "ImagePullBackOff", 0), T0.plusSeconds(1), 0).result())
        .isEqualTo(Measurement.Result.FAIL);
  }

  @Test
  void restartsOverTheLimitAreAFaultEvenWhileRunning() {
    assertThat(judge(pod("web-1", true, null, 1), T0.plusSeconds(5), 0).message())
        .contains("restarted 1 times (maxRestarts 0)");
    assertThat(judge(pod("web-1", true, null, 1), T0.plusSeconds(5), 1).result()).isEqualTo(Measurement.Result.PASS);
  }

  @Test
  void aPodNotReadyWithinTheTimeoutIsAFaultAndUntilThenARecheckIsDue() {
    Pod starting = pod("web-1", false, null, 0);

    Measurement early = judge(starting, T0.plusSeconds(10), 0);
    assertThat(early.result()).isEqualTo(Measurement.Result.NO_DATA);
    assertThat(faults.recheckAt(revision(starting, T0.plusSeconds(10), 0))).contains(T0.plusSeconds(30));

    Measurement late = judge(starting, T0.plusSeconds(30), 0);
    assertThat(late.result()).isEqualTo(Measurement.Result.FAIL);
    assertThat(late.message()).contains("not ready after 30s");
  }

  @Test
  void readyPodsAreHealthy() {
    assertThat(judge(pod("web-1", true, null, 0), T0.plusSeconds(2), 0).result()).isEqualTo(Measurement.Result.PASS);
  }

  private Measurement judge(Pod pod, Instant now, int maxRestarts) {
    return faults.measure(revision(pod, now, maxRestarts));
  }

  private static RevisionUnderTest revision(Pod pod, Instant now, int maxRestarts) {
    return new RevisionUnderTest(new DeploymentBuilder().withNewMetadata().withName("web").endMetadata().build(),
        List.of(pod), T0, Duration.ofMinutes(5), Duration.ofSeconds(30), maxRestarts, now);
  }

  private static Pod pod(String name, boolean ready, String waitingReason, int restarts) {
    return new PodBuilder().withNewMetadata().withName(name).withCreationTimestamp(T0.toString()).endMetadata()
        .withNewStatus()
        .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
        .addNewContainerStatus().withName("app").withReady(ready).withRestartCount(restarts)
        .withNewState()
        .withWaiting(waitingReason == null ? null
            : new io.fabric8.kubernetes.api.model.ContainerStateWaiting("back-off restarting", waitingReason))
        .endState()
        .endContainerStatus()
        .endStatus().build();
  }
}
