package dev.hotfix.health;

import java.time.Instant;
import java.util.Optional;

/** The two time helpers every phase handler needs. */
public final class Instants {

  private Instants() {
  }

  /** The earlier of two optional moments (the next time to look again). */
  public static Optional<Instant> earliest(Optional<Instant> a, Optional<Instant> b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    return Optional.of(a.get().isBefore(b.get()) ? a.get() : b.get());
  }

  /** An RFC 3339 time from status, or {@code fallback} when it was not recorded. */
  public static Instant parse(String time, Instant fallback) {
    return time == null ? fallback : Instant.parse(time);
  }
}
