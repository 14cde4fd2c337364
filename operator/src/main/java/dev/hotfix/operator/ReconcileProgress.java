package dev.hotfix.operator;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether reconciles are progressing, not only whether informers synced: the age of the oldest
 * reconcile still running ({@code hotfix_reconcile_oldest_in_flight_seconds}) and when one last
 * completed ({@code hotfix_reconcile_last_completed_timestamp_seconds}). A reconcile running
 * longer than {@code stuckAfter} makes the operator not ready ({@code /readyz} 503) and fires the
 * {@code HotfixOperatorReconcileStuck} alert, so a wedged operator is visible.
 */
public final class ReconcileProgress {
  /** How long one reconcile may run before the operator counts as stuck (reconciles only read caches and write). */
  public static final Duration DEFAULT_STUCK_AFTER = Duration.ofSeconds(60);

  private final Clock clock;
  private final Duration stuckAfter;
  private final Map<Thread, Instant> running = new ConcurrentHashMap<>();
  private final AtomicLong lastCompletedMillis = new AtomicLong();

  public ReconcileProgress(Clock clock, Duration stuckAfter) {
    this.clock = clock;
    this.stuckAfter = stuckAfter;
  }

  /** Registers the gauges in {@code meters}. */
  public ReconcileProgress register(MeterRegistry meters) {
    Gauge.builder("hotfix.reconcile.oldest.in.flight", this, p -> p.oldestInFlight().toMillis() / 1000.0)
        .description("Age of the oldest Hotfix reconcile still running; 0 when none runs").baseUnit("seconds")
        .register(meters);
    Gauge.builder("hotfix.reconcile.last.completed.timestamp", lastCompletedMillis, t -> t.get() / 1000.0)
        .description("When a Hotfix reconcile last completed (Unix time); 0 before the first").baseUnit("seconds")
        .register(meters);
    return this;
  }

  /** Runs one reconcile, timing it. */
  <T> T track(java.util.function.Supplier<T> reconcile) {
    Thread self = Thread.currentThread();
    running.put(self, clock.instant());
    try {
      return reconcile.get();
    } finally {
      running.remove(self);
      lastCompletedMillis.set(clock.millis());
    }
  }

  /** How long the oldest running reconcile has run; zero when none runs. */
  public Duration oldestInFlight() {
    Instant now = clock.instant();
    Optional<Instant> oldest = running.values().stream().min(Instant::compareTo);
    return oldest.map(o -> Duration.between(o, now)).filter(d -> !d.isNegative()).orElse(Duration.ZERO);
  }

  /** Whether a reconcile has been running longer than the bound. */
  public boolean isStuck() {
    return oldestInFlight().compareTo(stuckAfter) > 0;
  }
}
