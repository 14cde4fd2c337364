package dev.hotfix.sandbox.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A container's simulated life, at chosen instants, with the default (1s, doubling to 30s) pace. */
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

  /**
   * Upstream's kubelet: terminated until noticed, the first restart at once, then back-off from
   * the exit, 1s doubling (upstream's 10s doubling to 5m, at a tenth); CrashLoopBackOff only
   * while waiting. Seen failing with the former shape (back-off from the first crash).
   */
  @Test
  void crashLoopRestartsAtOnceFirstThenBacksOffLongerEachTime() {
    // runs [1,1.5), terminated [1.5,1.6), runs [1.6,2.1), terminated [2.1,2.2), backs off 1s to 3.1,
    // runs [3.1,3.6), terminated [3.6,3.7), backs off 2s to 5.6
    var firstRun = timeline("app:crashloop").at(at(1.25));
    assertThat(firstRun.status().getState().getRunning()).isNotNull();
    assertThat(firstRun.status().getRestartCount()).isZero();
    assertThat(firstRun.status().getReady()).isFalse();

    var exited = timeline("app:crashloop").at(at(1.55));
    assertThat(exited.status().getState().getTerminated().getReason()).isEqualTo("Error");
    assertThat(exited.status().getState().getTerminated().getExitCode()).isEqualTo(1);
    assertThat(exited.status().getRestartCount()).isZero();
    assertThat(exited.nextChange()).isEqualTo(at(1.6));

    var restartedAtOnce = timeline("app:crashloop").at(at(1.8));
    assertThat(restartedAtOnce.status().getState().getRunning().getStartedAt()).isEqualTo("2026-01-01T00:00:01Z"); // whole seconds, as upstream
    assertThat(restartedAtOnce.status().getRestartCount()).isEqualTo(1);
    assertThat(restartedAtOnce.status().getLastState().getTerminated().getReason()).isEqualTo("Error");
    assertThat(restartedAtOnce.status().getLastState().getTerminated().getFinishedAt()).isEqualTo("2026-01-01T00:00:01Z");

    var firstBackOff = timeline("app:crashloop").at(at(2.5));
    assertThat(firstBackOff.status().getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
    assertThat(firstBackOff.status().getState().getWaiting().getMessage()).startsWith("back-off 1s restarting failed container=app");
    assertThat(firstBackOff.status().getRestartCount()).isEqualTo(1);
    assertThat(firstBackOff.status().getLastState().getTerminated().getExitCode()).isEqualTo(1);
    assertThat(firstBackOff.nextChange()).isEqualTo(at(3.1));

    var secondBackOff = timeline("app:crashloop").at(at(4.5));
    assertThat(secondBackOff.status().getState().getWaiting().getMessage()).startsWith("back-off 2s");
    assertThat(secondBackOff.status().getRestartCount()).isEqualTo(2);
    assertThat(secondBackOff.nextChange()).isEqualTo(at(5.6));

    var capped = timeline("app:crashloop").at(at(600));
    assertThat(capped.status().getRestartCount()).isBetween(15, 30);
    assertThat(capped.nextChange()).isBefore(at(632));
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
