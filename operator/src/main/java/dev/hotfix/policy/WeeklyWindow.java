package dev.hotfix.policy;

import dev.hotfix.api.v1alpha1.MaintenanceWindow;
import dev.hotfix.api.v1alpha1.Weekday;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A maintenance window: opens on the given weekdays at {@code start} and closes at {@code end}
 * (wall-clock times in a time zone). An end before the start closes on the next day; an end
 * equal to the start keeps it open for a whole day. java.time resolves daylight-saving shifts:
 * a time skipped by a spring-forward moves later by the gap, an ambiguous autumn time takes the
 * earlier offset, so a 02:00-04:00 window lasts one hour, or three, on those days.
 */
public final class WeeklyWindow {
  private final Set<DayOfWeek> days;
  private final LocalTime start;
  private final LocalTime end;
  private final ZoneId zone;

  WeeklyWindow(Set<DayOfWeek> days, LocalTime start, LocalTime end, ZoneId zone) {
    this.days = days.isEmpty() ? EnumSet.noneOf(DayOfWeek.class) : EnumSet.copyOf(days);
    this.start = start;
    this.end = end;
    this.zone = zone;
  }

  /**
   * The window the API object describes.
   *
   * @param field where it sits in the policy, for the message of a {@link PolicyProblem}
   */
  static WeeklyWindow of(MaintenanceWindow w, String field) {
    if (w.days == null || w.days.isEmpty()) {
      throw new PolicyProblem(field + ".days is empty: name at least one of Mon Tue Wed Thu Fri Sat Sun");
    }
    ZoneId zone;
    try {
      zone = ZoneId.of(w.timeZone == null ? "UTC" : w.timeZone);
    } catch (DateTimeException e) {
      throw new PolicyProblem(field + ".timeZone " + w.timeZone + " is not an IANA time zone: write one such as "
          + "Europe/Berlin or UTC");
    }
    Set<DayOfWeek> days = w.days.stream().map(WeeklyWindow::dayOf).collect(Collectors.toSet());
    return new WeeklyWindow(days, time(w.start, field + ".start"), time(w.end, field + ".end"), zone);
  }

  /** The opening and closing instants of the occurrence that contains {@code now}, if open. */
  Optional<Occurrence> occurrenceAt(Instant now) {
    LocalDate today = now.atZone(zone).toLocalDate();
    // an occurrence that opened yesterday may still be open (past midnight, or a whole day)
    for (LocalDate day : List.of(today.minusDays(1), today)) {
      if (days.contains(day.getDayOfWeek())) {
        Occurrence o = occurrenceOn(day);
        if (!now.isBefore(o.opens()) && now.isBefore(o.closes())) {
          return Optional.of(o);
        }
      }
    }
    return Optional.empty();
  }

  /** The first opening strictly after {@code now}. */
  Instant nextOpeningAfter(Instant now) {
    LocalDate today = now.atZone(zone).toLocalDate();
    for (int i = 0; i <= 7; i++) {
      LocalDate day = today.plusDays(i);
      if (days.contains(day.getDayOfWeek())) {
        Instant opens = occurrenceOn(day).opens();
        if (opens.isAfter(now)) {
          return opens;
        }
      }
    }
    throw new IllegalStateException("a window with days " + days + " never opens");
  }

  /** How people read it: {@code Sat,Sun 02:00-04:00 Europe/Berlin}. */
  @Override
  public String toString() {
    String names = days.stream().sorted().map(d -> Weekday.values()[d.ordinal()].name())
        .collect(Collectors.joining(","));
    return names + " " + start + "-" + end + " " + zone.getId();
  }

  private Occurrence occurrenceOn(LocalDate day) {
    ZonedDateTime opens = ZonedDateTime.of(day, start, zone);
    LocalDate closingDay = end.isAfter(start) ? day : day.plusDays(1);
    ZonedDateTime closes = ZonedDateTime.of(closingDay, end, zone);
    return new Occurrence(opens.toInstant(), closes.toInstant());
  }

  private static DayOfWeek dayOf(Weekday day) {
    // Weekday is declared Mon..Sun, as DayOfWeek is
    return DayOfWeek.of(day.ordinal() + 1);
  }

  private static LocalTime time(String text, String field) {
    try {
      return LocalTime.parse(text == null ? "" : text);
    } catch (DateTimeParseException e) {
      throw new PolicyProblem(field + " \"" + text + "\" is not a time of day: write HH:MM, e.g. 02:00");
    }
  }

  /** One opening of the window. */
  record Occurrence(Instant opens, Instant closes) {
  }
}
