package dev.hotfix.health;

import java.util.OptionalDouble;

/**
 * Where metric checks read numbers from: an instant query that reduces to one number. The
 * production implementation is {@link PrometheusApi}; unit tests use a lambda.
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
}
