package dev.hotfix.sandbox.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pods a ReplicaSet controller has created or deleted but not yet seen come or go through its
 * informer, as upstream's ControllerExpectations. Until they are seen, the cache under-counts
 * (or over-counts) the pods, and acting on it would create (or delete) them twice; so a
 * ReplicaSet is only resized once its expectations are met, or after they expire in case an
 * event was lost.
 */
final class ReplicaSetExpectations {

  private static final Duration TTL = Duration.ofSeconds(30);

  private final Map<String, Pending> byReplicaSet = new ConcurrentHashMap<>();

  private static final class Pending {
    final Set<String> creations = new HashSet<>();
    final Set<String> deletions = new HashSet<>();
    final Instant since = Instant.now();
  }

  /** Whether the ReplicaSet's pods in the cache can be trusted to resize it. */
  boolean satisfied(String rsKey) {
    Pending p = byReplicaSet.get(rsKey);
    if (p == null) {
      return true;
    }
    synchronized (p) {
      if ((p.creations.isEmpty() && p.deletions.isEmpty()) || p.since.plus(TTL).isBefore(Instant.now())) {
        byReplicaSet.remove(rsKey, p);
        return true;
      }
      return false;
    }
  }

  /** Records pods about to be created; call before creating them, as events may beat the reply. */
  void expectCreations(String rsKey, Collection<String> podNames) {
    Pending p = byReplicaSet.computeIfAbsent(rsKey, k -> new Pending());
    synchronized (p) {
      p.creations.addAll(podNames);
    }
  }

  /** Records pods about to be deleted. */
  void expectDeletions(String rsKey, Collection<String> podNames) {
    Pending p = byReplicaSet.computeIfAbsent(rsKey, k -> new Pending());
    synchronized (p) {
      p.deletions.addAll(podNames);
    }
  }

  /** A pod was seen created, or its creation failed and will never be seen. */
  void creationObserved(String rsKey, String podName) {
    Pending p = byReplicaSet.get(rsKey);
    if (p != null) {
      synchronized (p) {
        p.creations.remove(podName);
      }
    }
  }

  /** A pod was seen deleted, or its deletion failed. */
  void deletionObserved(String rsKey, String podName) {
    Pending p = byReplicaSet.get(rsKey);
    if (p != null) {
      synchronized (p) {
        p.deletions.remove(podName);
      }
    }
  }

  /** Forgets a ReplicaSet that no longer exists. */
  void forget(String rsKey) {
    byReplicaSet.remove(rsKey);
  }
}
