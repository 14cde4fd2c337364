package dev.hotfix.sandbox.app;

import java.util.SplittableRandom;

/**
 * The synthetic traffic one ready pod has answered so far: requests by status code and their
 * latency histogram. Outcomes are pseudo-random from a seed derived from the pod's name, so the
 * same pods under the same options tell the same story on every run.
 *
 * <p>Thread-safe: the traffic tick serves requests while a scrape writes the counters.
 */
final class PodTraffic {

  /** Every status code the app answers; all are exposed from the start (see {@link #writeRequests}). */
  private static final int[] CODES = {200, 500, 503};
  private static final int OK = 0;
  private static final int INTERNAL_ERROR = 1;
  private static final int UNAVAILABLE = 2;
  /** A healthy app still fails now and then: exactly one request in this many. */
  private static final int HEALTHY_FAILURE_PERIOD = 1000;
  private static final double HEALTHY_LATENCY_SECONDS = 0.020;
  private static final double LATENCY_SPREAD_SECONDS = 0.010;

  private final SimulatedPod pod;
  private final String seriesLabels;
  private final SplittableRandom random;
  private final long[] answered = new long[CODES.length];
  private final LatencyHistogram latency = new LatencyHistogram();
  private long served;
  /** Requests due but not yet served: keeps low rates and short ticks exact on average. */
  private double due;

  PodTraffic(SimulatedPod pod, long seed) {
    this.pod = pod;
    this.seriesLabels = pod.seriesLabels();
    // String.hashCode is specified, so the per-pod seed is stable across JVMs.
    long podKey = ((long) pod.namespace().hashCode() << 32) ^ pod.name().hashCode();
    this.random = new SplittableRandom(seed ^ podKey);
  }

  /** The pod this traffic belongs to. */
  SimulatedPod pod() {
    return pod;
  }

  /** Serves {@code requests} more requests; fractions carry over to the next call. */
  synchronized void serve(double requests) {
    due += requests;
    long now = (long) due;
    due -= now;
    for (long i = 0; i < now; i++) {
      serveOne();
    }
  }

  private void serveOne() {
    served++;
    answered[outcome()]++;
    double seconds =
        (HEALTHY_LATENCY_SECONDS + LATENCY_SPREAD_SECONDS * random.nextDouble())
            * pod.profile().latencyFactor();
    latency.observe(seconds);
  }

  private int outcome() {
    if (pod.profile().failsHalf()) {
      if (random.nextBoolean()) {
        return OK;
      }
      return random.nextBoolean() ? INTERNAL_ERROR : UNAVAILABLE;
    }
    return served % HEALTHY_FAILURE_PERIOD == 0 ? INTERNAL_ERROR : OK;
  }

  /**
   * Writes this pod's {@code http_requests_total} series. Every code is written even at zero: a
   * healthy deployment then has a 5xx series, so an error-ratio query answers 0 rather than an
   * empty vector that a health check would have to treat as "no data".
   */
  synchronized void writeRequests(StringBuilder out, String name) {
    for (int i = 0; i < CODES.length; i++) {
      out.append(name).append('{').append(seriesLabels).append(",code=\"").append(CODES[i])
          .append("\"} ").append(answered[i]).append('\n');
    }
  }

  /** Writes this pod's latency histogram series. */
  synchronized void writeLatency(StringBuilder out, String name) {
    latency.write(out, name, seriesLabels);
  }
}
