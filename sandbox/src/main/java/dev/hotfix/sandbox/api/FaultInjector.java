package dev.hotfix.sandbox.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Faults the API server injects on request, for the reliability suite: answer chosen requests
 * with an error status (409, 5xx...), hold them before answering (a slow API server, a client
 * timeout), process them and lose the answer (a client that retries meets its own write), or
 * drop every open watch and refuse new ones with 410 Gone for a while (clients must
 * relist), or deliver chosen watches' events late. The front consults it first on every
 * request; with no rule it changes nothing.
 */
public final class FaultInjector {
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final List<WatchLag> lags = new CopyOnWriteArrayList<>();
  private final Set<WatchEvents> watches = ConcurrentHashMap.newKeySet();
  private final AtomicReference<Instant> watchesRefusedUntil = new AtomicReference<>(Instant.MIN);
  private final AtomicInteger injected = new AtomicInteger();
  private ScheduledExecutorService lagTimer;

  /** Answers the next {@code times} requests {@code which} selects with HTTP {@code code}, unprocessed. */
  public void fail(Predicate<ApiRequest> which, int code, int times) {
    rules.add(new Rule(which, code, Duration.ZERO, new AtomicInteger(times), false));
  }

  /**
   * Processes the next {@code times} requests {@code which} selects, then answers them with HTTP
   * {@code code} as if their answer had been lost on the way (a proxy's 503 after the write
   * committed): a client that retries meets what its first try did, e.g. "already exists".
   */
  public void loseAnswers(Predicate<ApiRequest> which, int code, int times) {
    rules.add(new Rule(which, code, Duration.ZERO, new AtomicInteger(times), true));
  }

  /** Holds the next {@code times} requests {@code which} selects for {@code delay}, then processes them. */
  public void delay(Predicate<ApiRequest> which, Duration delay, int times) {
    rules.add(new Rule(which, 0, delay, new AtomicInteger(times), false));
  }

  /**
   * Closes every open watch, as a restarting API server or a broken connection does, and answers
   * new watch requests with 410 Gone for {@code refuseFor}: what changes meanwhile reaches a
   * client only if it lists again.
   */
  public void dropWatches(Duration refuseFor) {
    watchesRefusedUntil.set(Instant.now().plus(refuseFor));
    for (WatchEvents watch : watches) {
      watch.drop();
      watches.remove(watch);
      injected.incrementAndGet();
    }
  }

  /**
   * Delivers each event of the watches {@code which} selects (open ones too) {@code lag} after it
   * happened, in order: one watch stream behind the others, as a client's busy informer or a slow
   * connection makes it. A client then sees a write on one watch before an earlier write on
   * another, an order a real API server never promises across watches.
   */
  public void lagWatches(Predicate<ApiRequest> which, Duration lag) {
    lags.add(new WatchLag(which, lag));
  }

  /** Removes every rule still pending. */
  public void clear() {
    rules.clear();
    lags.clear();
    watchesRefusedUntil.set(Instant.MIN);
  }

  /** How many faults were injected so far (failed, held or refused requests, dropped watches). */
  public int injected() {
    return injected.get();
  }

  /** The answer to give instead of processing {@code request}, after any delay a rule asks for. */
  Optional<ApiResponse> intercept(ApiRequest request) {
    if (request.isWatch() && Instant.now().isBefore(watchesRefusedUntil.get())) {
      injected.incrementAndGet();
      return Optional.of(ApiResponse.error(ApiError.injected(410, "too old resource version (injected)")));
    }
    for (Rule rule : rules) {
      if (!rule.afterProcessing() && rule.which().test(request) && rule.remaining().getAndDecrement() > 0) {
        injected.incrementAndGet();
        if (rule.code() != 0) {
          return Optional.of(ApiResponse.error(ApiError.injected(rule.code(), "injected fault: HTTP " + rule.code())));
        }
        sleep(rule.delay());
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** The answer that replaces {@code processed}'s, once {@code request} was processed. */
  ApiResponse answer(ApiRequest request, ApiResponse processed) {
    for (Rule rule : rules) {
      if (rule.afterProcessing() && rule.which().test(request) && rule.remaining().getAndDecrement() > 0) {
        injected.incrementAndGet();
        return ApiResponse.error(ApiError.injected(rule.code(), "injected fault: HTTP " + rule.code()
            + " after the request was processed"));
      }
    }
    return processed;
  }

  /** How late the events of the watch {@code request} opened are delivered now. */
  Duration watchLag(ApiRequest request) {
    return lags.stream().filter(l -> l.which().test(request)).map(WatchLag::lag).max(Duration::compareTo)
        .orElse(Duration.ZERO);
  }

  /**
   * Runs {@code delivery} (a lagged watch event) at {@code due}; counted as one injected fault.
   * One timer thread for every watch: deliveries due at the same instant run in the order given.
   */
  void deliverAt(Instant due, Runnable delivery) {
    injected.incrementAndGet();
    ScheduledExecutorService timer;
    synchronized (this) {
      if (lagTimer == null) {
        lagTimer = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "sandbox-watch-lag");
          t.setDaemon(true);
          return t;
        });
      }
      timer = lagTimer;
    }
    timer.schedule(delivery, Math.max(0, Duration.between(Instant.now(), due).toNanos()), TimeUnit.NANOSECONDS);
  }

  /** Stops the lag timer, if one was started; lagged events not yet delivered are dropped with their server. */
  synchronized void close() {
    if (lagTimer != null) {
      lagTimer.shutdownNow();
      lagTimer = null;
    }
  }

  /** A watch the front opened, to be dropped on request. */
  void opened(WatchEvents watch) {
    watches.add(watch);
  }

  private static void sleep(Duration delay) {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record WatchLag(Predicate<ApiRequest> which, Duration lag) {
  }

  private record Rule(Predicate<ApiRequest> which, int code, Duration delay, AtomicInteger remaining,
      boolean afterProcessing) {
  }
}
