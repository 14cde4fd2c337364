package dev.hotfix.sandbox.app;

/**
 * A Prometheus histogram of request durations in seconds, with the client libraries' default
 * buckets: fine enough around the healthy ~25 ms and the slow ~250 ms that
 * {@code histogram_quantile} tells p50, p95 and p99 of both apart. Not thread-safe: its
 * {@link PodTraffic} guards it.
 */
final class LatencyHistogram {

  private static final double[] BOUNDS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
  };
  private static final String[] BOUND_LABELS = {
    "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10"
  };

  /** Observations per bucket, not cumulative; the last slot is above the largest bound. */
  private final long[] perBucket = new long[BOUNDS.length + 1];
  private double sumSeconds;
  private long count;

  /** Records one request that took {@code seconds}. */
  void observe(double seconds) {
    int bucket = 0;
    while (bucket < BOUNDS.length && seconds > BOUNDS[bucket]) {
      bucket++;
    }
    perBucket[bucket]++;
    sumSeconds += seconds;
    count++;
  }

  /** Writes the {@code _bucket}, {@code _sum} and {@code _count} lines of one series. */
  void write(StringBuilder out, String name, String seriesLabels) {
    long cumulative = 0;
    for (int i = 0; i <= BOUNDS.length; i++) {
      cumulative += perBucket[i];
      String le = i < BOUNDS.length ? BOUND_LABELS[i] : "+Inf";
      out.append(name).append("_bucket{").append(seriesLabels).append(",le=\"").append(le)
          .append("\"} ").append(cumulative).append('\n');
    }
    out.append(name).append("_sum{").append(seriesLabels).append("} ").append(sumSeconds)
        .append('\n');
    out.append(name).append("_count{").append(seriesLabels).append("} ").append(count)
        .append('\n');
  }
}
