package dev.hotfix.policy;

import dev.hotfix.api.v1alpha1.FreezeWindow;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * A change freeze: from {@code start} (inclusive) to {@code end} (exclusive) only Critical hot
 * fixes ship.
 *
 * @param reason why, shown to whoever's Hotfix is held; may be null
 */
record Freeze(Instant start, Instant end, String reason) {

  static Freeze of(FreezeWindow w, String field) {
    Instant start = instant(w.start, field + ".start");
    Instant end = instant(w.end, field + ".end");
    if (!end.isAfter(start)) {
      throw new PolicyProblem(field + ": end " + w.end + " is not after start " + w.start);
    }
    return new Freeze(start, end, w.reason);
  }

  boolean holds(Instant now) {
    return !now.isBefore(start) && now.isBefore(end);
  }

  private static Instant instant(String text, String field) {
    try {
      return OffsetDateTime.parse(text == null ? "" : text).toInstant();
    } catch (DateTimeParseException e) {
      throw new PolicyProblem(field + " \"" + text + "\" is not an RFC 3339 time: write e.g. 2026-12-23T00:00:00Z");
    }
  }
}
