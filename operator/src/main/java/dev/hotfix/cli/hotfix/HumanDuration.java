package dev.hotfix.cli.hotfix;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Ages as {@code kubectl get} prints them: {@code 45s}, {@code 3m20s}, {@code 5h10m}, {@code 12d}. */
public final class HumanDuration {
  private HumanDuration() {
  }

  /** The age of an RFC 3339 timestamp, {@code <unknown>} when absent or unreadable. */
  public static String since(String timestamp, Instant now) {
    if (timestamp == null || timestamp.isEmpty()) {
      return "<unknown>";
    }
    try {
      return format(Duration.between(Instant.parse(timestamp), now));
    } catch (DateTimeParseException e) {
      return "<unknown>";
    }
  }

  /** Upstream's rounding: the coarser the unit, the fewer details, never more than two units. */
  static String format(Duration duration) {
    long seconds = duration.getSeconds();
    if (seconds < -1) {
      return "<invalid>";
    }
    if (seconds < 0) {
      return "0s";
    }
    if (seconds < 120) {
      return seconds + "s";
    }
    long minutes = seconds / 60;
    if (minutes < 10) {
      return twoUnits(minutes, "m", seconds % 60, "s");
    }
    if (minutes < 180) {
      return minutes + "m";
    }
    long hours = minutes / 60;
    if (hours < 8) {
      return twoUnits(hours, "h", minutes % 60, "m");
    }
    if (hours < 48) {
      return hours + "h";
    }
    long days = hours / 24;
    if (hours < 24 * 8) {
      return twoUnits(days, "d", hours % 24, "h");
    }
    if (days < 365 * 2) {
      return days + "d";
    }
    if (days < 365 * 8) {
      return twoUnits(days / 365, "y", days % 365, "d");
    }
    return days / 365 + "y";
  }

  private static String twoUnits(long major, String majorUnit, long minor, String minorUnit) {
    return minor == 0 ? major + majorUnit : major + majorUnit + minor + minorUnit;
  }
}
