package dev.hotfix.bench;

import dev.hotfix.api.v1alpha1.Phase;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * Many Deployments and Hotfixes at once, for throughput and footprint: {@code svc-i} (one
 * replica each, so a thousand stay within what the simulated cluster moves quickly) and their
 * Hotfixes {@code svc-i-fix}, created by a few concurrent clients as a GitOps sync would.
 */
final class Fleet {
  private static final int CLIENTS = 8;
  private static final Duration TIMEOUT = Duration.ofMinutes(20);
  private static final long POLL_MILLIS = 100;

  private final BenchBed bed;
  private final PrintStream out;

  Fleet(BenchBed bed, PrintStream out) {
    this.bed = bed;
    this.out = out;
  }

  static String deployment(int i) {
    return "svc-" + i;
  }

  /** Creates Deployments {@code from} until {@code to} (exclusive) and waits until {@code to} are rolled out. */
  void deployments(int from, int to) throws InterruptedException {
    create(from, to, i -> () -> bed.client.resource(Workloads.deployment(deployment(i), 1)).create());
    await(to + " Deployments rolled out", () -> bed.watch.countRolledOut(), to);
  }

  /** Creates the Hotfixes of Deployments {@code from} until {@code to}, shipping a good image. */
  void hotfixes(int from, int to, int bakeSeconds) throws InterruptedException {
    create(from, to, i -> () -> bed.client.resource(Workloads.hotfix(HotfixResponder.hotfixOf(deployment(i)),
        deployment(i), Workloads.FIXED, bakeSeconds, s -> { })).create());
  }

  /** Waits until {@code count} Hotfixes are in a phase satisfying {@code phase}, printing progress. */
  void awaitHotfixes(String what, Predicate<Phase> phase, int count) throws InterruptedException {
    await(count + " Hotfixes " + what, () -> bed.watch.countHotfixes(phase), count);
  }

  private void await(String what, java.util.function.LongSupplier progress, long target) throws InterruptedException {
    long started = System.nanoTime();
    long deadline = started + TIMEOUT.toNanos();
    long nextReport = started + Duration.ofSeconds(5).toNanos();
    while (progress.getAsLong() < target) {
      long now = System.nanoTime();
      if (now > deadline) {
        throw new IllegalStateException(what + ": only " + progress.getAsLong() + " after " + TIMEOUT.toMinutes()
            + " min");
      }
      if (now > nextReport) {
        out.printf("    waiting for %s: %d so far, %.0f s%n", what, progress.getAsLong(), (now - started) / 1e9);
        nextReport = now + Duration.ofSeconds(5).toNanos();
      }
      // counting walks every cached object: often enough to time minutes-long waits, rarely
      // enough not to take CPU from the sandbox that runs in this process
      Thread.sleep(POLL_MILLIS);
    }
  }

  private static void create(int from, int to, IntFunction<Runnable> creation) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    try {
      List<Future<?>> created = new ArrayList<>();
      for (int i = from; i < to; i++) {
        created.add(pool.submit(creation.apply(i)));
      }
      for (Future<?> f : created) {
        f.get();
      }
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("creating the fleet failed: " + e.getCause().getMessage(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }
}
