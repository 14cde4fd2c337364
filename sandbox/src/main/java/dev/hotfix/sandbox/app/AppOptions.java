package dev.hotfix.sandbox.app;

import java.time.Duration;
import java.util.Objects;

/**
 * How much synthetic traffic the {@link SimulatedApp} serves and where it listens.
 *
 * @param requestsPerSecond requests each ready pod answers per second (fractions accumulate)
 * @param tick how often the traffic clock advances; each tick serves the requests due since the
 *     previous one, so a shorter tick only makes the counters move more smoothly
 * @param seed seeds every pod's pseudo-random outcomes, so a run is reproducible
 * @param port the loopback port of the metrics endpoint; 0 picks a free one
 */
public record AppOptions(double requestsPerSecond, Duration tick, long seed, int port) {

  /** 20 requests per second per ready pod, a 100 ms tick, a fixed seed, a free port. */
  public static AppOptions defaults() {
    return new AppOptions(20, Duration.ofMillis(100), 20_260_101L, 0);
  }

  /** Validates the options. */
  public AppOptions {
    Objects.requireNonNull(tick, "tick");
    if (!(requestsPerSecond >= 0) || Double.isInfinite(requestsPerSecond)) {
      throw new IllegalArgumentException("requestsPerSecond must be a finite number >= 0");
    }
    if (tick.isNegative() || tick.isZero()) {
      throw new IllegalArgumentException("tick must be positive");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0..65535");
    }
  }

  /** These options with another per-pod request rate. */
  public AppOptions withRequestsPerSecond(double value) {
    return new AppOptions(value, tick, seed, port);
  }

  /** These options with another traffic tick. */
  public AppOptions withTick(Duration value) {
    return new AppOptions(requestsPerSecond, value, seed, port);
  }

  /** These options with another seed. */
  public AppOptions withSeed(long value) {
    return new AppOptions(requestsPerSecond, tick, value, port);
  }

  /** These options with a fixed metrics port (0 = a free one). */
  public AppOptions withPort(int value) {
    return new AppOptions(requestsPerSecond, tick, seed, value);
  }
}
