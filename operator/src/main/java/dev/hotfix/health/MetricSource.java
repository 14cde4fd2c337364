package dev.hotfix.health;

import java.util.OptionalDouble;

/**
 * Where metric checks read numbers from: an instant query that reduces to one number. The
 * production implementation is {@link dev.hotfix.health.prometheus.PrometheusApi}; unit tests use a lambda.
 */
@FunctionalInterface
public interface MetricSource {

  /**
   * Evaluates {@code query} now.
   *
   * @return the single value (possibly NaN or infinite), or empty for an empty result
   * @throws MetricSourceException when the source cannot answer with at most one number
   */
  OptionalDouble query(String query);

  /**
   * The endpoint queries go to ({@code scheme://host:port}): measurements against one endpoint
   * share a bounded worker pool, so a slow endpoint holds up only its own.
   */
  default String endpoint() {
    return "default";
  }

  /**
   * A configuration problem that makes every query fail (a refused URL, a missing Secret, a bad
   * header value in a Secret), known without asking the endpoint: the Hotfix is rejected before
   * anything changes.
   */
  default java.util.Optional<String> misconfiguration() {
    return java.util.Optional.empty();
  }
}
