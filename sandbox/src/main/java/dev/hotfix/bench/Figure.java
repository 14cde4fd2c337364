package dev.hotfix.bench;

/**
 * One line of the benchmark's results: a measure of one subject (our operator, or the kubectl
 * script) in one scenario. Latencies carry median, p95 and max over the trials that produced
 * a value; single figures (a count, a duration, a size) carry only {@code value}.
 *
 * @param section detection, throughput or footprint
 * @param scenario the fault or load, e.g. "pod fault", "metric fault, interval 2s", "N=1000"
 * @param subject {@link #OPERATOR} or {@link #BASELINE}
 * @param measure what was measured, e.g. "fault -> rollback patch"
 * @param unit ms, s, MiB, requests...
 * @param trials how many trials produced a value
 * @param of how many trials ran
 * @param value the median, or the single value
 * @param p95 the 95th percentile, for latencies
 * @param max the maximum, for latencies
 * @param note what a reader needs to read the figure right (e.g. "not detected")
 */
record Figure(String section, String scenario, String subject, String measure, String unit, int trials, int of,
    Double value, Double p95, Double max, String note) {

  static final String OPERATOR = "hotfix-operator";
  static final String BASELINE = "kubectl script";

  /** A latency over trials: {@code summary} of those that produced a value, out of {@code of}. */
  static Figure latency(String section, String scenario, String subject, String measure,
      java.util.Optional<Summary> summary, int of, String note) {
    return over(section, scenario, subject, measure, "ms", summary, of, note);
  }

  /** A measure over trials, in {@code unit}: {@code summary} of those that produced a value, out of {@code of}. */
  static Figure over(String section, String scenario, String subject, String measure, String unit,
      java.util.Optional<Summary> summary, int of, String note) {
    return summary.map(s -> new Figure(section, scenario, subject, measure, unit, s.samples(), of, s.median(), s.p95(),
            s.max(), note))
        .orElseGet(() -> new Figure(section, scenario, subject, measure, unit, 0, of, null, null, null, note));
  }

  /** A single figure. */
  static Figure single(String section, String scenario, String subject, String measure, String unit, double value,
      String note) {
    return new Figure(section, scenario, subject, measure, unit, 1, 1, value, null, null, note);
  }
}
