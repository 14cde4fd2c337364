package dev.hotfix.operator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The system clock moved by an offset the test sets: time keeps flowing (so deadlines and
 * rechecks behave as in production) but "now" can be put a few seconds before a window opens.
 */
final class AdjustableClock extends Clock {
  private volatile Duration offset = Duration.ZERO;

  /** From now on, this clock reads {@code at} at this real instant. */
  void set(Instant at) {
    offset = Duration.between(Instant.now(), at);
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(offset);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the operator reads instants only");
  }
}
