package dev.hotfix.sandbox.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A container's simulated life, at chosen instants, with the default (1s, doubling to 10s) pace. */
class ContainerTimelineTest {

  private static final Instant BOUND = Instant.parse("2026-01-01T00:00:00Z");

  private static ContainerTimeline timeline(String image) {
    return new ContainerTimeline("app", image, "ns/pod(uid)", BOUND, ClusterTiming.defaults());
  }

  private static Instant at(double seconds) {
    return BOUND.plus(Duration.ofMillis((long) (seconds * 1000)));
  }

  @Test
  void healthyContainerIsCreatingThenReadyAfterTheStartDelay() {
    var creating = timeline("app:1").at(at(0.5));
    assertThat(creating.status().getState().getWaiting().getReason()).isEqualTo("ContainerCreating");
    assertThat(creating.nextChange()).isEqualTo(at(1));

    var running = timeline("app:1").at(at(1));
    assertThat(running.status().getReady()).isTrue();
    assertThat(running.readySince()).isEqualTo(at(1));
    assertThat(running.nextChange()).isNull();
  }

  @Test
  void crashLoopRunsExitsAndBacksOffLongerEachTime() {
    // runs [1,2), backs off 1s [2,3), runs [3,4), backs off 2s [4,6), runs [6,7), backs off 4s [7,11)
    var firstRun = timeline("app:crashloop").at(at(1.5));
    assertThat(firstRun.status().getState().getRunning()).isNotNull();
    assertThat(firstRun.status().getRestartCount()).isZero();
    assertThat(firstRun.status().getReady()).isFalse();

    var firstBackOff = timeline("app:crashloop").at(at(2.5));
    assertThat(firstBackOff.status().getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
    assertThat(firstBackOff.status().getState().getWaiting().getMessage()).startsWith("back-off 1s restarting failed container=app");
    assertThat(firstBackOff.status().getRestartCount()).isEqualTo(1);
    assertThat(firstBackOff.status().getLastState().getTerminated().getReason()).isEqualTo("Error");
    assertThat(firstBackOff.nextChange()).isEqualTo(at(3));

    var secondBackOff = timeline("app:crashloop").at(at(5));
    assertThat(secondBackOff.status().getState().getWaiting().getMessage()).startsWith("back-off 2s");
    assertThat(secondBackOff.status().getRestartCount()).isEqualTo(2);
    assertThat(secondBackOff.nextChange()).isEqualTo(at(6));

    var thirdRun = timeline("app:crashloop").at(at(6.5));
    assertThat(thirdRun.status().getState().getRunning().getStartedAt()).isEqualTo("2026-01-01T00:00:06Z");
    assertThat(thirdRun.status().getRestartCount()).isEqualTo(2);

    var capped = timeline("app:crashloop").at(at(600));
    assertThat(capped.status().getRestartCount()).isGreaterThan(50);
    assertThat(capped.nextChange()).isBefore(at(611));
  }

  @Test
  void pullFailureAlternatesAndNeverStarts() {
    assertThat(timeline("app:pullerr").at(at(1.5)).status().getState().getWaiting().getReason()).isEqualTo("ErrImagePull");
    var backOff = timeline("app:pullerr").at(at(2.5));
    assertThat(backOff.status().getState().getWaiting().getReason()).isEqualTo("ImagePullBackOff");
    assertThat(backOff.status().getState().getWaiting().getMessage()).isEqualTo("Back-off pulling image \"app:pullerr\"");
    assertThat(timeline("app:pullerr").at(at(3.5)).status().getState().getWaiting().getReason()).isEqualTo("ErrImagePull");
    assertThat(timeline("app:pullerr").at(at(100)).everStarted()).isFalse();
  }
}
