package dev.hotfix.sandbox.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A controller's work queue, shaped like client-go's: keys (namespace/name or uid) rather than
 * events, so a burst of events for one object costs one sync; a key is never synced by two
 * workers at once, and a key added while it is being synced is synced again afterwards; delayed
 * adds stand in for timers (deadlines, start delays, back-offs) so nothing polls.
 *
 * <p>A sync that throws (typically a 409 conflict on a stale cache) is retried after a short
 * back-off that doubles per consecutive failure of that key.
 */
final class WorkQueue implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WorkQueue.class);
  private static final Duration RETRY_BASE = Duration.ofMillis(20);
  private static final Duration RETRY_CAP = Duration.ofSeconds(5);

  private final String name;
  private final Consumer<String> sync;
  private final int workerCount;
  private final Object lock = new Object();
  private final LinkedHashSet<String> ready = new LinkedHashSet<>();
  private final Set<String> processing = new HashSet<>();
  private final Set<String> dirty = new HashSet<>();
  private final Map<String, Instant> waitingUntil = new HashMap<>();
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();
  private final List<Thread> workers = new ArrayList<>();
  private final ScheduledExecutorService timers;
  private boolean closed;

  /**
   * @param name names the threads and log lines
   * @param workerCount how many keys may be synced in parallel
   * @param sync reconciles one key; it may throw to ask for a retry
   */
  WorkQueue(String name, int workerCount, Consumer<String> sync) {
    this.name = name;
    this.workerCount = workerCount;
    this.sync = sync;
    this.timers =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, name + "-timer");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts the worker threads. */
  void start() {
    for (int i = 0; i < workerCount; i++) {
      Thread t = new Thread(this::work, name + "-worker-" + i);
      t.setDaemon(true);
      workers.add(t);
      t.start();
    }
  }

  /** Queues a key for a sync as soon as a worker is free; repeated adds coalesce. */
  void add(String key) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      if (processing.contains(key)) {
        dirty.add(key);
      } else if (ready.add(key)) {
        lock.notify();
      }
    }
  }

  /**
   * Queues a key after a delay: a timer. Only the earliest pending timer of a key is kept, since
   * the sync it triggers re-derives any later one.
   */
  void addAfter(String key, Duration delay) {
    if (delay.isNegative() || delay.isZero()) {
      add(key);
      return;
    }
    Instant due = Instant.now().plus(delay);
    synchronized (lock) {
      if (closed) {
        return;
      }
      Instant pending = waitingUntil.get(key);
      if (pending != null && !pending.isAfter(due)) {
        return;
      }
      waitingUntil.put(key, due);
    }
    timers.schedule(() -> fire(key, due), delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void fire(String key, Instant due) {
    synchronized (lock) {
      if (!due.equals(waitingUntil.get(key))) {
        return; // superseded by an earlier timer that already fired
      }
      waitingUntil.remove(key);
    }
    add(key);
  }

  private void work() {
    while (true) {
      String key;
      synchronized (lock) {
        while (!closed && ready.isEmpty()) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed) {
          return;
        }
        var it = ready.iterator();
        key = it.next();
        it.remove();
        processing.add(key);
      }
      boolean failed = false;
      try {
        sync.accept(key);
        failures.remove(key);
      } catch (RuntimeException e) {
        failed = true;
        int n = failures.merge(key, 1, Integer::sum);
        LOG.debug("{}: sync of {} failed ({} in a row), retrying: {}", name, key, n, e.toString());
        addAfter(key, retryDelay(n));
      } finally {
        synchronized (lock) {
          processing.remove(key);
          if (dirty.remove(key) && !failed && ready.add(key)) {
            lock.notify();
          }
        }
      }
    }
  }

  private static Duration retryDelay(int failures) {
    Duration d = RETRY_BASE.multipliedBy(1L << Math.min(failures - 1, 16));
    return d.compareTo(RETRY_CAP) > 0 ? RETRY_CAP : d;
  }

  /** Stops the workers and timers; keys still queued are dropped. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      lock.notifyAll();
    }
    timers.shutdownNow();
    for (Thread t : workers) {
      t.interrupt();
    }
    try {
      timers.awaitTermination(5, TimeUnit.SECONDS);
      for (Thread t : workers) {
        t.join(5_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
