package dev.hotfix.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotfix.api.v1alpha1.Phase;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which phase changes are announced, and how retries are spaced. */
class AnnouncementTest {

  @ParameterizedTest
  @CsvSource(nullValues = "none", value = {
      "none,             RollingOut,       started",
      "Pending,          RollingOut,       started",
      "Pending,          AwaitingApproval, awaiting_approval",
      "Verifying,        Succeeded,        succeeded",
      "RollingBack,      RolledBack,       rolled_back",
      "RollingBack,      Failed,           rollback_failed",
      "RollingOut,       Failed,           failed",
      "AwaitingApproval, Rejected,         rejected",
      "RollingOut,       Superseded,       superseded",
      "none,             Pending,          none",
      "Pending,          Scheduled,        none",
      "RollingOut,       Verifying,        none",
      "Verifying,        RollingBack,      none",
      "RollingOut,       RollingOut,       none",
  })
  void eachPhaseChangeAnnouncesWhatPeopleMustKnow(Phase from, Phase to, String event) {
    assertThat(Announcement.of(from, to).map(Announcement::eventName).orElse(null)).isEqualTo(event);
  }

  @Test
  void backoffDoublesUpToItsCap() {
    Backoff b = Backoff.defaults();
    assertThat(b.attempts()).isEqualTo(4);
    assertThat(b.stepAfter(1)).isEqualTo(Duration.ofMillis(500));
    assertThat(b.stepAfter(2)).isEqualTo(Duration.ofSeconds(1));
    assertThat(b.stepAfter(3)).isEqualTo(Duration.ofSeconds(2));
    assertThat(b.stepAfter(4)).isEqualTo(Duration.ofSeconds(4));
    assertThat(b.stepAfter(9)).isEqualTo(Duration.ofSeconds(4));
  }

  /** Equal jitter: every wait lies between half its step and the whole step, as the drawn share says. */
  @Test
  void eachWaitIsHalfItsStepPlusTheDrawnShareOfTheOtherHalf() {
    assertThat(new Backoff(4, Duration.ofMillis(500), Duration.ofSeconds(4), () -> 0).delayAfter(1))
        .isEqualTo(Duration.ofMillis(250));
    assertThat(new Backoff(4, Duration.ofMillis(500), Duration.ofSeconds(4), () -> 1).delayAfter(3))
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(new Backoff(4, Duration.ofMillis(500), Duration.ofSeconds(4), () -> 0.5).delayAfter(9))
        .isEqualTo(Duration.ofSeconds(3));

    Random seeded = new Random(18);
    Backoff b = new Backoff(4, Duration.ofMillis(500), Duration.ofSeconds(4), seeded::nextDouble);
    List<Long> firstWaits = IntStream.range(0, 200).mapToObj(i -> b.delayAfter(1).toMillis()).toList();
    assertThat(firstWaits).allSatisfy(w -> assertThat(w).isBetween(250L, 500L));
    assertThat(firstWaits.stream().distinct().count()).as("200 deliveries failing at once spread their retries")
        .isGreaterThan(100);
    assertThat(Backoff.defaults().delayAfter(2).toMillis()).isBetween(500L, 1000L);
  }
}
