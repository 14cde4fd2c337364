package dev.hotfix.bench;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waiting for a condition the benchmark reads from its informer caches (cheap to ask): a short
 * poll, so a figure is not rounded up by more than a few milliseconds.
 */
final class Waits {
  private static final long POLL_MILLIS = 5;

  private Waits() {
  }

  /** Whether {@code condition} held within {@code timeout}. */
  static boolean until(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting", e);
      }
    }
    return true;
  }

  /** Waits for {@code condition}; throws saying {@code what} did not happen in time. */
  static void require(Duration timeout, String what, BooleanSupplier condition) {
    if (!until(timeout, condition)) {
      throw new IllegalStateException(what + " did not happen within " + timeout.toSeconds() + " s");
    }
  }
}
