package dev.hotfix.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the benchmark saw of one trial's Deployment, each moment taken when the watch event
 * reached it: the bad template applied, the first crashing pod of the bad image, the template
 * back on the good image (the rollback patch), and the rollout of that back to complete.
 * The names of the bad image's pods are kept to find their first scrape in Prometheus.
 */
final class FaultMoments {
  final String badImage;
  volatile Instant applied;
  volatile Instant firstCrash;
  volatile Instant patchedBack;
  volatile Instant restored;
  final Set<String> badPods = ConcurrentHashMap.newKeySet();

  FaultMoments(String badImage) {
    this.badImage = badImage;
  }

  /** Milliseconds from {@code from} to {@code to}, when both happened. */
  static Optional<Double> millis(Instant from, Instant to) {
    return from == null || to == null ? Optional.empty() : Optional.of((double) Duration.between(from, to).toMillis());
  }
}
