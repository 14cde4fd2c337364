package dev.hotfix.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The verification meters: {@code hotfix_check_measurements_total{result}} and
 * {@code hotfix_detection_to_rollback_seconds}, from the measurement that failed a check to the
 * rollback patch on the Deployment. The detection time is kept in memory: after an operator
 * restart between the two (rare: they happen in the same reconcile) that one sample is lost.
 */
public final class VerificationMetrics {
  private final Map<Measurement.Result, Counter> measurements = new EnumMap<>(Measurement.Result.class);
  private final Timer detectionToRollback;
  private final Clock clock;
  /** Detection times by Hotfix uid, until the rollback patch. */
  private final Map<String, Instant> detected = new ConcurrentHashMap<>();

  public VerificationMetrics(MeterRegistry registry, Clock clock) {
    this.clock = clock;
    for (Measurement.Result r : Measurement.Result.values()) {
      measurements.put(r, Counter.builder("hotfix.check.measurements")
          .description("Metric check measurements by outcome: pass, fail, no_data, error")
          .tag("result", r.tag()).register(registry));
    }
    detectionToRollback = Timer.builder("hotfix.detection.to.rollback")
        .description("Time from the measurement that failed a check to the rollback patch on the Deployment")
        .register(registry);
  }

  /** Counts one measurement. */
  public void measured(Measurement m) {
    measurements.get(m.result()).increment();
  }

  /**
   * Hotfix {@code uid} failed decisively (a check's measurement, a pod fault, the deadline)
   * at {@code at}; the first detection of an attempt counts.
   */
  public void faultDetected(String uid, Instant at) {
    detected.putIfAbsent(uid, at);
  }

  /** The rollback patch of Hotfix {@code uid} was just written. */
  public void rollbackPatched(String uid) {
    Instant at = detected.remove(uid);
    if (at != null) {
      detectionToRollback.record(Duration.between(at, clock.instant()));
    }
  }
}
