package dev.hotfix.outbound;

import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small thread pool with a bounded queue per endpoint, so that a slow or hanging endpoint
 * occupies only its own threads: metric queries per Prometheus, notification POSTs per receiver.
 * A full queue rejects the task ({@link java.util.concurrent.RejectedExecutionException}) rather
 * than blocking; idle pools hold no threads.
 */
public final class EndpointPools {
  private final String threadPrefix;
  private final int threads;
  private final int queue;
  private final int maxEndpoints;
  private final Map<String, ThreadPoolExecutor> pools = new ConcurrentHashMap<>();
  private final AtomicInteger threadCount = new AtomicInteger();

  /**
   * @param threadPrefix the name of the pools' threads, before a number
   * @param threads threads per endpoint
   * @param queue tasks waiting per endpoint
   * @param maxEndpoints endpoints with a pool at most
   */
  public EndpointPools(String threadPrefix, int threads, int queue, int maxEndpoints) {
    this.threadPrefix = threadPrefix;
    this.threads = threads;
    this.queue = queue;
    this.maxEndpoints = maxEndpoints;
  }

  /** The endpoint's pool, made on first use; null when {@code maxEndpoints} pools exist already. */
  public ThreadPoolExecutor of(String endpoint) {
    ThreadPoolExecutor existing = pools.get(endpoint);
    if (existing != null || pools.size() >= maxEndpoints) {
      return existing;
    }
    return pools.computeIfAbsent(endpoint, e -> {
      ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.MINUTES,
          new ArrayBlockingQueue<>(queue), r -> {
            Thread t = new Thread(r, threadPrefix + threadCount.incrementAndGet());
            t.setDaemon(true);
            return t;
          }, new ThreadPoolExecutor.AbortPolicy());
      pool.allowCoreThreadTimeOut(true);
      return pool;
    });
  }

  /** Tasks waiting per endpoint at most. */
  public int queue() {
    return queue;
  }

  /** Takes no new tasks; tasks under way and queued still run. */
  public void shutdown() {
    pools.values().forEach(ThreadPoolExecutor::shutdown);
  }

  /** Waits until every pool has finished or {@code deadlineNanos} (System.nanoTime) has passed. */
  public boolean awaitTermination(long deadlineNanos) throws InterruptedException {
    boolean finished = true;
    for (ThreadPoolExecutor pool : pools.values()) {
      finished &= pool.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
    return finished;
  }

  /** Drops queued tasks and interrupts running ones. */
  public void shutdownNow() {
    pools.values().forEach(ThreadPoolExecutor::shutdownNow);
  }
}
