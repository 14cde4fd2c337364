package dev.hotfix.bench;

import java.util.List;

/**
 * Median, 95th percentile (nearest rank) and maximum of a sample, as benchmarks report latency:
 * the typical case, the bad case a user will meet, and the worst seen.
 *
 * @param samples how many values
 * @param median the middle value (the mean of the two middle ones for an even count)
 * @param p95 the smallest value at or above 95 % of the sample
 * @param max the largest value
 */
record Summary(int samples, double median, double p95, double max) {

  /** Summarizes {@code values}; an empty sample has no summary. */
  static java.util.Optional<Summary> of(List<Double> values) {
    if (values.isEmpty()) {
      return java.util.Optional.empty();
    }
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    int rank = (int) Math.ceil(0.95 * n);
    return java.util.Optional.of(new Summary(n, median, sorted.get(rank - 1), sorted.get(n - 1)));
  }
}
