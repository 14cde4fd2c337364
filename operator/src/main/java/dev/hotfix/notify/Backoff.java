package dev.hotfix.notify;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * How a notification is retried: up to {@code attempts} tries, the wait before the second about
 * {@code initial} and doubling up to {@code max}. Receivers fail briefly (a deploy of the chat
 * service, a 503 under load); a few spaced tries ride that out without hammering them.
 *
 * <p>Each wait has "equal jitter": half the exponential step, plus a random share of the other
 * half. Many Hotfixes failing against one receiver at once then spread their retries instead of
 * coming back in lockstep, while every retry still waits at least half its step. Hand-written
 * rather than a retry library: it is one formula, and the operator schedules its waits itself.
 *
 * @param attempts tries in all, at least 1
 * @param initial the exponential step before the second try
 * @param max the longest step between tries
 * @param jitter draws the random share, a fraction in [0, 1] (injectable so tests are deterministic)
 */
public record Backoff(int attempts, Duration initial, Duration max, DoubleSupplier jitter) {

  public Backoff {
    if (attempts < 1 || initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs attempts >= 1 and 0 <= initial <= max, got " + attempts
          + ", " + initial + ", " + max);
    }
  }

  /** Jitter drawn from {@link ThreadLocalRandom}. */
  public Backoff(int attempts, Duration initial, Duration max) {
    this(attempts, initial, max, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** 4 tries, steps of 0.5 s, 1 s, 2 s (a cap of 4 s) between them, each wait between half its step and all of it. */
  public static Backoff defaults() {
    return new Backoff(4, Duration.ofMillis(500), Duration.ofSeconds(4));
  }

  /** The exponential step after failed try number {@code attempt} (1-based): the longest the wait can be. */
  public Duration stepAfter(int attempt) {
    Duration d = initial;
    for (int i = 1; i < attempt && d.compareTo(max) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(max) > 0 ? max : d;
  }

  /**
   * The wait after failed try number {@code attempt} (1-based) before the next: half the step
   * plus a random share of the other half.
   */
  public Duration delayAfter(int attempt) {
    double share = Math.min(1, Math.max(0, jitter.getAsDouble()));
    long step = stepAfter(attempt).toMillis();
    return Duration.ofMillis(step / 2 + Math.round(share * (step - step / 2)));
  }
}
