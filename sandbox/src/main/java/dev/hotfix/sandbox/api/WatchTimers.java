package dev.hotfix.sandbox.api;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * What time does to an open watch, as in upstream's cacher: periodic bookmarks for clients that
 * allow them (and one shortly before the timeout, so the client resumes from a fresh version), and
 * the end of the watch at its timeout ({@code timeoutSeconds}, or the minimum request timeout
 * randomized ×[1, 2)).
 */
final class WatchTimers implements AutoCloseable {
  /** Upstream sends the last bookmark this long before a watch's deadline. */
  private static final Duration BEFORE_DEADLINE = Duration.ofSeconds(2);

  private final WatchSettings settings;
  private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "sandbox-watch-timers");
    thread.setDaemon(true);
    return thread;
  });

  WatchTimers(WatchSettings settings) {
    this.settings = settings;
  }

  /**
   * Starts the timers of {@code watch}.
   *
   * @param timeoutSeconds the request's {@code timeoutSeconds} (null or not positive: the default)
   * @param bookmarks whether the client allows bookmarks
   * @param bookmark sends a bookmark at the current version with writes held off
   */
  void start(WatchEvents watch, String timeoutSeconds, boolean bookmarks, Runnable bookmark) {
    Duration timeout = timeout(timeoutSeconds);
    if (bookmarks) {
      long every = settings.bookmarkInterval().toMillis();
      watch.ownTimer(clock.scheduleAtFixedRate(bookmark, every, every, TimeUnit.MILLISECONDS));
      Duration last = timeout.minus(BEFORE_DEADLINE);
      if (last.compareTo(settings.bookmarkInterval()) > 0) {
        watch.ownTimer(clock.schedule(bookmark, last.toMillis(), TimeUnit.MILLISECONDS));
      }
    }
    watch.ownTimer(clock.schedule(watch::expire, timeout.toMillis(), TimeUnit.MILLISECONDS));
  }

  private Duration timeout(String timeoutSeconds) {
    long seconds;
    try {
      seconds = timeoutSeconds == null ? 0 : Long.parseLong(timeoutSeconds);
    } catch (NumberFormatException e) {
      seconds = 0;
    }
    if (seconds > 0) {
      return Duration.ofSeconds(seconds);
    }
    long min = settings.minRequestTimeout().toMillis();
    return Duration.ofMillis(min + ThreadLocalRandom.current().nextLong(min));
  }

  @Override
  public void close() {
    clock.shutdownNow();
  }
}
