package dev.hotfix.notify;

import java.time.Duration;

/**
 * How a notification is retried: up to {@code attempts} tries, waiting {@code initial} before
 * the second and doubling up to {@code max}. Receivers fail briefly (a deploy of the chat
 * service, a 503 under load); a few spaced tries ride that out without hammering them.
 *
 * @param attempts tries in all, at least 1
 * @param initial the wait before the second try
 * @param max the longest wait between tries
 */
public record Backoff(int attempts, Duration initial, Duration max) {

  public Backoff {
    if (attempts < 1 || initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs attempts >= 1 and 0 <= initial <= max, got " + attempts
          + ", " + initial + ", " + max);
    }
  }

  /** 4 tries, waiting 0.5 s, 1 s, 2 s (a cap of 4 s) between them. */
  public static Backoff defaults() {
    return new Backoff(4, Duration.ofMillis(500), Duration.ofSeconds(4));
  }

  /** The wait after failed try number {@code attempt} (1-based) before the next. */
  public Duration delayAfter(int attempt) {
    Duration d = initial;
    for (int i = 1; i < attempt && d.compareTo(max) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(max) > 0 ? max : d;
  }
}
