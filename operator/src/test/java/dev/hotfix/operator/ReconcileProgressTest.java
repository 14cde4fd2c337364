package dev.hotfix.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * A reconcile that does not return is visible (issue 13, point 2): the age of the oldest one in
 * flight grows in {@code hotfix_reconcile_oldest_in_flight_seconds}, and past the bound the
 * operator counts as stuck (readiness fails); once it returns, it is not. Seen failing with
 * {@code track} not recording the running reconcile.
 */
class ReconcileProgressTest {

  @Test
  void aReconcileRunningPastTheBoundMakesTheOperatorStuckUntilItReturns() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    ReconcileProgress progress = new ReconcileProgress(Clock.systemUTC(), Duration.ofMillis(200)).register(meters);
    CountDownLatch release = new CountDownLatch(1);
    Thread reconcile = new Thread(() -> progress.track(() -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    }));
    assertThat(progress.isStuck()).isFalse();

    reconcile.start();
    await().atMost(Duration.ofSeconds(10)).until(progress::isStuck);
    assertThat(meters.get("hotfix.reconcile.oldest.in.flight").gauge().value()).isGreaterThanOrEqualTo(0.2);
    assertThat(meters.get("hotfix.reconcile.last.completed.timestamp").gauge().value()).isZero();

    release.countDown();
    reconcile.join();
    assertThat(progress.isStuck()).isFalse();
    assertThat(progress.oldestInFlight()).isZero();
    assertThat(meters.get("hotfix.reconcile.last.completed.timestamp").gauge().value()).isPositive();
  }
}
