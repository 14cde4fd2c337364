package dev.hotfix.sandbox.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How long watches and list pages live, as kube-apiserver's watch cache and request timeouts decide
 * it; the defaults are upstream's, tests shorten them to see expiry happen.
 *
 * @param bookmarkInterval how often a watch that allows bookmarks gets one (upstream's cacher: every
 *     minute, and once two seconds before the watch times out)
 * @param cacheWindow how long a write stays in the watch cache: a watch from a resourceVersion whose
 *     later writes have left the window is answered 410 Gone, as is a {@code continue} token from a
 *     list older than the window (upstream keeps events at least 75 s, etcd compacts every 5 min;
 *     one window stands for both)
 * @param minRequestTimeout a watch without {@code timeoutSeconds} is closed after this, randomized
 *     by ×[1, 2) (upstream's {@code --min-request-timeout}, 1800 s)
 */
public record WatchSettings(Duration bookmarkInterval, Duration cacheWindow, Duration minRequestTimeout) {

  public WatchSettings {
    for (Duration d : new Duration[] {bookmarkInterval, cacheWindow, minRequestTimeout}) {
      if (Objects.requireNonNull(d, "watch durations are required").isNegative() || d.isZero()) {
        throw new IllegalArgumentException("watch durations must be positive, got " + d);
      }
    }
  }

  /** Upstream's: a bookmark a minute, a 75 s watch cache, watches closed after 30 to 60 min. */
  public static WatchSettings defaults() {
    return new WatchSettings(Duration.ofMinutes(1), Duration.ofSeconds(75), Duration.ofMinutes(30));
  }
}
