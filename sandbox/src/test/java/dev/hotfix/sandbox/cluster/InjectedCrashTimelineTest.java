package dev.hotfix.sandbox.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A crash injected into a revision that was fine ({@link InjectedCrash}), at chosen instants with
 * the default pace (start 1 s, runs 0.5 s, exit noticed after 0.1 s, back-off 1 s doubling): the
 * same crash paths as a {@code crashloop} image, from the injected instant on.
 */
class InjectedCrashTimelineTest {
  private static final Instant BOUND = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant CRASH = at(5);

  private static Instant at(double seconds) {
    return BOUND.plus(Duration.ofMillis((long) (seconds * 1000)));
  }

  private static ContainerTimeline.Snapshot snapshot(String image, Instant crashingSince, double seconds) {
    return new ContainerTimeline("app", image, "ns/pod(uid)", BOUND, ClusterTiming.defaults(), crashingSince)
        .at(at(seconds));
  }

  @Test
  void aReadyContainerServesUntilTheCrashAndTheKubeletLooksAgainThen() {
    var before = snapshot("web:1", CRASH, 4.9);

    assertThat(before.status().getReady()).isTrue();
    assertThat(before.readySince()).isEqualTo(at(1));
    assertThat(before.nextChange()).as("synced exactly at the crash, not by polling").isEqualTo(CRASH);
  }

  /** Seen failing while the timeline ignored the injected instant (ready throughout). */
  @Test
  void aReadyContainerExitsAtTheCrashThenRestartsAtOnceThenBacksOff() {
    // exits at 5 (ran since 1), noticed at 5.1 and restarted at once, exits at 5.6, backs off 1 s to 6.6
    var exited = snapshot("web:1", CRASH, 5.05);
    assertThat(exited.status().getReady()).isFalse();
    assertThat(exited.status().getState().getTerminated().getReason()).isEqualTo("Error");
    assertThat(exited.status().getState().getTerminated().getExitCode()).isEqualTo(1);
    assertThat(exited.status().getState().getTerminated().getStartedAt()).isEqualTo("2026-01-01T00:00:01Z");
    assertThat(exited.status().getRestartCount()).isZero();
    assertThat(exited.unreadySince()).isEqualTo(CRASH);

    var restarted = snapshot("web:1", CRASH, 5.3);
    assertThat(restarted.status().getState().getRunning()).isNotNull();
    assertThat(restarted.status().getRestartCount()).isEqualTo(1);
    assertThat(restarted.status().getLastState().getTerminated().getFinishedAt()).isEqualTo("2026-01-01T00:00:05Z");
    assertThat(restarted.status().getReady()).as("a crashing container is never ready again").isFalse();

    var backingOff = snapshot("web:1", CRASH, 6);
    assertThat(backingOff.status().getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
    assertThat(backingOff.status().getRestartCount()).isEqualTo(1);
    assertThat(backingOff.nextChange()).isEqualTo(at(6.6));
  }

  @Test
  void aContainerStartedAfterTheCrashCrashLoopsAsACrashloopImageDoes() {
    Instant crashedBeforeItStarted = at(0.5);
    for (double t : new double[] {0.5, 1.2, 1.55, 1.8, 2.5, 3.3, 4}) {
      var injected = snapshot("web:1", crashedBeforeItStarted, t).status();
      var tagged = snapshot("web:1-crashloop", null, t).status();
      assertThat(injected.getState()).as("at %s s", t).isEqualTo(tagged.getState());
      assertThat(injected.getRestartCount()).as("at %s s", t).isEqualTo(tagged.getRestartCount());
      assertThat(injected.getReady()).isFalse();
    }
  }

  @Test
  void containersThatNeverRunAreNotChangedByIt() {
    assertThat(snapshot("web:1-pullerr", CRASH, 8).status()).isEqualTo(snapshot("web:1-pullerr", null, 8).status());
    assertThat(snapshot("web:1-oom", CRASH, 8).status()).isEqualTo(snapshot("web:1-oom", null, 8).status());
  }

  @Test
  void thePodTurnsUnreadyAtTheCrash() {
    Pod pod = new PodBuilder().withNewMetadata().withNamespace("ns").withName("web-1").withUid("uid").endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("web:1").endContainer().endSpec().build();

    var status = SimulatedPodStatus.of(pod, BOUND, "10.244.0.1", ClusterTiming.defaults(), at(7), CRASH).status();

    assertThat(status.getPhase()).isEqualTo("Running");
    assertThat(status.getConditions()).filteredOn(c -> c.getType().equals("Ready")).singleElement()
        .satisfies(c -> {
          assertThat(c.getStatus()).isEqualTo("False");
          assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:05Z");
        })
        .extracting(PodCondition::getReason).isEqualTo("ContainersNotReady");
  }
}
