package dev.hotfix.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotfix.api.v1alpha1.MaintenanceWindow;
import dev.hotfix.api.v1alpha1.Weekday;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Maintenance windows against the calendar: midnight, daylight saving, time zones. */
class WeeklyWindowTest {

  @Test
  void aWindowIsOpenFromItsStartUntilJustBeforeItsEnd() {
    // Sat 2026-11-21, Europe/Berlin is UTC+1 in November
    WeeklyWindow w = window(List.of(Weekday.Sat, Weekday.Sun), "02:00", "04:00", "Europe/Berlin");

    assertThat(w.occurrenceAt(Instant.parse("2026-11-21T00:59:59Z"))).isEmpty();
    assertThat(w.occurrenceAt(Instant.parse("2026-11-21T01:00:00Z"))).hasValueSatisfying(o -> {
      assertThat(o.opens()).isEqualTo(Instant.parse("2026-11-21T01:00:00Z"));
      assertThat(o.closes()).isEqualTo(Instant.parse("2026-11-21T03:00:00Z"));
    });
    assertThat(w.occurrenceAt(Instant.parse("2026-11-21T03:00:00Z"))).isEmpty();
    assertThat(w.nextOpeningAfter(Instant.parse("2026-11-21T03:00:00Z"))).isEqualTo(Instant.parse("2026-11-22T01:00:00Z"));
    assertThat(w.nextOpeningAfter(Instant.parse("2026-11-22T03:00:00Z")))
        .as("after Sunday's window, next Saturday's").isEqualTo(Instant.parse("2026-11-28T01:00:00Z"));
  }

  @Test
  void anEndBeforeTheStartRunsPastMidnightIntoTheNextDay() {
    // Friday 22:00 to Saturday 02:00 UTC
    WeeklyWindow w = window(List.of(Weekday.Fri), "22:00", "02:00", "UTC");

    assertThat(w.occurrenceAt(Instant.parse("2026-11-20T21:59:00Z"))).isEmpty();
    assertThat(w.occurrenceAt(Instant.parse("2026-11-20T23:30:00Z"))).isPresent();
    assertThat(w.occurrenceAt(Instant.parse("2026-11-21T01:59:00Z")))
        .as("Saturday 01:59 is still Friday's window").hasValueSatisfying(o ->
            assertThat(o.closes()).isEqualTo(Instant.parse("2026-11-21T02:00:00Z")));
    assertThat(w.occurrenceAt(Instant.parse("2026-11-21T02:00:00Z"))).isEmpty();
    assertThat(w.occurrenceAt(Instant.parse("2026-11-21T23:30:00Z"))).as("Saturday evening is no window").isEmpty();
  }

  @Test
  void theSameStartAndEndIsAWholeDay() {
    WeeklyWindow w = window(List.of(Weekday.Sun), "00:00", "00:00", "UTC");

    assertThat(w.occurrenceAt(Instant.parse("2026-11-22T00:00:00Z"))).isPresent();
    assertThat(w.occurrenceAt(Instant.parse("2026-11-22T23:59:59Z"))).isPresent();
    assertThat(w.occurrenceAt(Instant.parse("2026-11-23T00:00:00Z"))).isEmpty();
  }

  @Test
  void onTheSpringForwardDayASkippedStartMovesLaterAndTheWindowIsShorter() {
    // 2026-03-29: Berlin clocks jump from 02:00 CET to 03:00 CEST
    WeeklyWindow w = window(List.of(Weekday.Sun), "02:00", "04:00", "Europe/Berlin");

    Instant opens = w.nextOpeningAfter(Instant.parse("2026-03-28T12:00:00Z"));
    assertThat(opens).as("02:00 does not exist; it is 03:00 CEST = 01:00Z").isEqualTo(Instant.parse("2026-03-29T01:00:00Z"));
    assertThat(w.occurrenceAt(opens)).hasValueSatisfying(o ->
        assertThat(Duration.between(o.opens(), o.closes())).isEqualTo(Duration.ofHours(1)));
  }

  @Test
  void onTheFallBackDayAnAmbiguousStartTakesTheEarlierOffsetAndTheWindowIsLonger() {
    // 2026-10-25: Berlin clocks go back from 03:00 CEST to 02:00 CET
    WeeklyWindow w = window(List.of(Weekday.Sun), "02:00", "04:00", "Europe/Berlin");

    Instant opens = w.nextOpeningAfter(Instant.parse("2026-10-24T12:00:00Z"));
    assertThat(opens).as("the first 02:00, in CEST").isEqualTo(Instant.parse("2026-10-25T00:00:00Z"));
    assertThat(w.occurrenceAt(opens)).hasValueSatisfying(o ->
        assertThat(Duration.between(o.opens(), o.closes())).isEqualTo(Duration.ofHours(3)));
  }

  @Test
  void theWeekdayIsTheWindowsOwnTimeZonesDay() {
    // Monday 09:00 in Tokyo is still Sunday 00:00 UTC
    WeeklyWindow tokyo = window(List.of(Weekday.Mon), "09:00", "10:00", "Asia/Tokyo");
    WeeklyWindow newYork = window(List.of(Weekday.Sat), "20:00", "22:00", "America/New_York");

    assertThat(tokyo.occurrenceAt(Instant.parse("2026-11-23T00:30:00Z"))).isPresent();
    assertThat(tokyo.occurrenceAt(Instant.parse("2026-11-22T00:30:00Z"))).isEmpty();
    assertThat(newYork.occurrenceAt(Instant.parse("2026-11-22T01:30:00Z")))
        .as("Sunday 01:30Z is Saturday 20:30 in New York (EST)").isPresent();
  }

  @Test
  void anUnknownTimeZoneOrTimeIsAPolicyProblemThatSaysWhatToWrite() {
    assertThatThrownBy(() -> window(List.of(Weekday.Sat), "02:00", "04:00", "Europe/Atlantis"))
        .isInstanceOf(PolicyProblem.class)
        .hasMessageContaining("spec.maintenanceWindows[0].timeZone Europe/Atlantis is not an IANA time zone")
        .hasMessageContaining("Europe/Berlin");
    assertThatThrownBy(() -> window(List.of(Weekday.Sat), "2am", "04:00", "UTC"))
        .isInstanceOf(PolicyProblem.class).hasMessageContaining("spec.maintenanceWindows[0].start \"2am\"");
  }

  @Test
  void itReadsAsWritten() {
    assertThat(window(List.of(Weekday.Sun, Weekday.Sat), "02:00", "04:00", "Europe/Berlin"))
        .hasToString("Sat,Sun 02:00-04:00 Europe/Berlin");
  }

  static WeeklyWindow window(List<Weekday> days, String start, String end, String zone) {
    MaintenanceWindow w = new MaintenanceWindow();
    w.days = days;
    w.start = start;
    w.end = end;
    w.timeZone = zone;
    return WeeklyWindow.of(w, "spec.maintenanceWindows[0]");
  }
}
