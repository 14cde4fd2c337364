package dev.hotfix.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the benchmark saw of one trial's Deployment, each moment taken when the watch event
 * reached it: the bad template applied, the first crashing pod of the bad image, the template
 * back on the good image (the rollback patch), and the rollout of that back to complete. With a
 * canary, the Deployment never runs the bad image: its rollback is the canary's removal (a
 * canary pod seen being deleted), which is also the restore (the old pods never left).
 * The names of the bad image's pods are kept to find their first scrape in Prometheus, and to
 * count the pods exposed to it.
 */
final class FaultMoments {
  final String badImage;
  volatile Instant applied;
  volatile Instant firstCrash;
  volatile Instant patchedBack;
  volatile Instant restored;
  final Set<String> badPods = ConcurrentHashMap.newKeySet();
  /** Each bad pod as first seen: name, ReplicaSet, creation time; to tell why a canary exposed more pods. */
  final java.util.Queue<String> badPodsSeen = new java.util.concurrent.ConcurrentLinkedQueue<>();

  FaultMoments(String badImage) {
    this.badImage = badImage;
  }

  /** Milliseconds from {@code from} to {@code to}, when both happened. */
  static Optional<Double> millis(Instant from, Instant to) {
    return from == null || to == null ? Optional.empty() : Optional.of((double) Duration.between(from, to).toMillis());
  }
}
