package dev.hotfix.health.prometheus;

import dev.hotfix.api.v1alpha1.RollbackCause;
import dev.hotfix.health.HealthCheck;
import dev.hotfix.health.Measurement;
import dev.hotfix.health.MetricSource;
import dev.hotfix.health.MetricSourceException;
import dev.hotfix.health.RevisionUnderTest;
import dev.hotfix.health.Threshold;
import java.time.Instant;
import java.util.OptionalDouble;

/**
 * The metric check provider: one instant query against a {@link MetricSource}, turned into a
 * {@link Measurement}. An empty result, NaN or ±Inf is no data (a ratio over no traffic is
 * NaN, not zero); anything the source cannot answer is an error; otherwise the threshold
 * decides between pass and fail.
 *
 * @param name the check's name
 * @param query the query to evaluate
 * @param failWhen when a value fails
 * @param source where the query is evaluated (the namespace's Prometheus)
 */
public record MetricCheck(String name, String query, Threshold failWhen, MetricSource source)
    implements HealthCheck {

  @Override
  public RollbackCause cause() {
    return RollbackCause.Check;
  }

  @Override
  public Measurement measure(RevisionUnderTest revision) {
    return measureAt(revision.now());
  }

  /** Takes one measurement now; blocks at most for the source's own timeout. */
  public Measurement measureAt(Instant at) {
    OptionalDouble result;
    try {
      result = source.query(query);
    } catch (MetricSourceException e) {
      return new Measurement(Measurement.Result.ERROR, OptionalDouble.empty(), e.getMessage(), at);
    }
    if (result.isEmpty()) {
      return new Measurement(Measurement.Result.NO_DATA, result, "empty result: no series matched", at);
    }
    double v = result.getAsDouble();
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return new Measurement(Measurement.Result.NO_DATA, result, "value " + Measurement.format(v)
          + " is not a measurement (no traffic, or a division by zero)", at);
    }
    if (failWhen.isMetBy(v)) {
      return new Measurement(Measurement.Result.FAIL, result, Measurement.format(v) + " " + failWhen, at);
    }
    return new Measurement(Measurement.Result.PASS, result, Measurement.format(v) + " not " + failWhen, at);
  }
}
