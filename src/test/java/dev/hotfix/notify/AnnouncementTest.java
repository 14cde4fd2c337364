package dev.hotfix.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotfix.api.v1alpha1.Phase;
import java.time.Duration;
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
    assertThat(b.delayAfter(1)).isEqualTo(Duration.ofMillis(500));
    assertThat(b.delayAfter(2)).isEqualTo(Duration.ofSeconds(1));
    assertThat(b.delayAfter(3)).isEqualTo(Duration.ofSeconds(2));
    assertThat(b.delayAfter(4)).isEqualTo(Duration.ofSeconds(4));
    assertThat(b.delayAfter(9)).isEqualTo(Duration.ofSeconds(4));
  }
}
