package dev.hotfix.cli.hotfix;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HumanDurationTest {

  @ParameterizedTest
  @CsvSource({"0, 0s", "45, 45s", "119, 119s", "120, 2m", "200, 3m20s", "599, 9m59s", "600, 10m", "10799, 179m",
      "10800, 3h", "18600, 5h10m", "28800, 8h", "172799, 47h", "172800, 2d", "183600, 2d3h", "691200, 8d",
      "63072000, 2y", "66528000, 2y40d", "252288000, 8y"})
  void printsAgesLikeKubectl(long seconds, String expected) {
    assertThat(HumanDuration.format(Duration.ofSeconds(seconds))).isEqualTo(expected);
  }

  @Test
  void agesATimestamp() {
    Instant now = Instant.parse("2026-01-01T12:00:00Z");

    assertThat(HumanDuration.since("2026-01-01T11:59:15Z", now)).isEqualTo("45s");
    assertThat(HumanDuration.since(null, now)).isEqualTo("<unknown>");
    assertThat(HumanDuration.since("yesterday", now)).isEqualTo("<unknown>");
  }
}
