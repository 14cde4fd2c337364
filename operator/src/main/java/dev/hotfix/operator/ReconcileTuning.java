package dev.hotfix.operator;

import io.javaoperatorsdk.operator.api.config.ConfigurationService;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Duration;

/**
 * How the operator copes with failing reconciles: java-operator-sdk's retry budget, how long to
 * wait before trying again once that budget is spent (a Hotfix never parks silently), and the
 * {@link WriteSeam} (the reliability suite's crash points; {@link WriteSeam#NONE} in production).
 *
 * @param retry the retry budget of one failing reconcile
 * @param afterRetriesExhausted when to try again once the budget is spent
 * @param seam the write boundaries
 * @param stuckAfter a reconcile running longer than this makes the operator not ready
 * @param reconcileThreads reconciles running at the same time at most (java-operator-sdk's default: 50)
 */
public record ReconcileTuning(GenericRetry retry, Duration afterRetriesExhausted, WriteSeam seam,
    Duration stuckAfter, int reconcileThreads) {

  /** java-operator-sdk's default budget (5 attempts, 2 s apart growing 1.5 times: ~16 s), then every 30 s. */
  public static ReconcileTuning defaults() {
    return new ReconcileTuning(GenericRetry.defaultLimitedExponentialRetry(), Duration.ofSeconds(30), WriteSeam.NONE,
        ReconcileProgress.DEFAULT_STUCK_AFTER, ConfigurationService.DEFAULT_RECONCILIATION_THREADS_NUMBER);
  }

  public ReconcileTuning withRetry(GenericRetry budget, Duration thenEvery) {
    return new ReconcileTuning(budget, thenEvery, seam, stuckAfter, reconcileThreads);
  }

  public ReconcileTuning withSeam(WriteSeam writeSeam) {
    return new ReconcileTuning(retry, afterRetriesExhausted, writeSeam, stuckAfter, reconcileThreads);
  }

  public ReconcileTuning withStuckAfter(Duration bound) {
    return new ReconcileTuning(retry, afterRetriesExhausted, seam, bound, reconcileThreads);
  }

  public ReconcileTuning withReconcileThreads(int threads) {
    return new ReconcileTuning(retry, afterRetriesExhausted, seam, stuckAfter, threads);
  }
}
