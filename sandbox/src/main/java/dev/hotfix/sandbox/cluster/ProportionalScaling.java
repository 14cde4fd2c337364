package dev.hotfix.sandbox.cluster;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a Deployment resized in the middle of a rolling update (an HPA, {@code kubectl scale})
 * spreads the change over its active ReplicaSets: in proportion to each one's share of the size
 * recorded in its max-replicas annotation, larger ReplicaSets first, leftovers to the largest,
 * as upstream's {@code scale} and {@code GetProportion}.
 */
final class ProportionalScaling {

  private ProportionalScaling() {}

  /**
   * Upstream's {@code scale}: the ReplicaSets to write, with their new spec.replicas, in order.
   * The only active (or else the latest) ReplicaSet takes the whole size; a saturated new one
   * lets every old one go to zero; otherwise a rolling Deployment spreads the change
   * proportionally (every active ReplicaSet is written, so its replica annotations follow).
   */
  static Map<ReplicaSet, Integer> resizes(Deployment d, ReplicaSet newRS, List<ReplicaSet> old) {
    int replicas = DeploymentSpecs.replicas(d);
    Map<ReplicaSet, Integer> resizes = new LinkedHashMap<>();
    List<ReplicaSet> all = new ArrayList<>(old);
    if (newRS != null) {
      all.add(newRS);
    }
    List<ReplicaSet> active = all.stream().filter(ReplicaSets::isActive).toList();
    ReplicaSet activeOrLatest = activeOrLatest(active, newRS, old);
    if (activeOrLatest != null) {
      if (ReplicaSets.desired(activeOrLatest) != replicas) {
        resizes.put(activeOrLatest, replicas);
      }
    } else if (isSaturated(d, newRS)) {
      old.stream().filter(ReplicaSets::isActive).forEach(rs -> resizes.put(rs, 0));
    } else if (DeploymentSpecs.isRollingUpdate(d)) {
      Map<String, Integer> sizes = newSizes(d, active);
      active.forEach(rs -> resizes.put(rs, sizes.get(rs.getMetadata().getName())));
    }
    return resizes;
  }

  /**
   * Upstream's IsSaturated: the ReplicaSet is sized for, annotated with and has available every
   * replica of the Deployment.
   */
  static boolean isSaturated(Deployment d, ReplicaSet rs) {
    if (rs == null) {
      return false;
    }
    int replicas = DeploymentSpecs.replicas(d);
    int desiredAnnotation =
        RevisionAnnotations.intValue(rs.getMetadata().getAnnotations(), RevisionAnnotations.DESIRED_REPLICAS);
    return ReplicaSets.desired(rs) == replicas
        && desiredAnnotation == replicas
        && ReplicaSets.available(rs) == replicas;
  }

  /** The only active ReplicaSet, or the newest when none is active; null when several are. */
  private static ReplicaSet activeOrLatest(List<ReplicaSet> active, ReplicaSet newRS, List<ReplicaSet> old) {
    if (active.size() == 1) {
      return active.get(0);
    }
    if (!active.isEmpty()) {
      return null;
    }
    if (newRS != null) {
      return newRS;
    }
    return old.stream().max(ReplicaSets.OLDEST_FIRST).orElse(null);
  }

  /**
   * The new spec.replicas of each active ReplicaSet, by name, in the order they should be
   * written.
   */
  static Map<String, Integer> newSizes(Deployment d, List<ReplicaSet> active) {
    int replicas = DeploymentSpecs.replicas(d);
    int allowed = replicas > 0 ? replicas + DeploymentSpecs.maxSurge(d) : 0;
    int toAdd = allowed - ReplicaSets.sum(active, ReplicaSets::desired);
    List<ReplicaSet> ordered = new ArrayList<>(active);
    // equal sizes: scale newer ones up first and older ones down first
    Comparator<ReplicaSet> bySizeDesc = Comparator.comparingInt(ReplicaSets::desired).reversed();
    ordered.sort(
        toAdd > 0
            ? bySizeDesc.thenComparing(ReplicaSets.OLDEST_FIRST.reversed())
            : bySizeDesc.thenComparing(ReplicaSets.OLDEST_FIRST));
    Map<String, Integer> sizes = new LinkedHashMap<>();
    int added = 0;
    for (ReplicaSet rs : ordered) {
      int proportion = toAdd == 0 ? 0 : proportion(rs, d, toAdd, added);
      sizes.put(rs.getMetadata().getName(), ReplicaSets.desired(rs) + proportion);
      added += proportion;
    }
    if (toAdd != 0 && !ordered.isEmpty()) {
      String largest = ordered.get(0).getMetadata().getName();
      sizes.put(largest, Math.max(0, sizes.get(largest) + toAdd - added));
    }
    return sizes;
  }

  private static int proportion(ReplicaSet rs, Deployment d, int toAdd, int added) {
    if (ReplicaSets.desired(rs) == 0 || toAdd == added) {
      return 0;
    }
    int fraction = fraction(rs, d);
    int allowed = toAdd - added;
    // never move past what is left to add (scaling up) or remove (scaling down)
    return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
  }

  private static int fraction(ReplicaSet rs, Deployment d) {
    int replicas = DeploymentSpecs.replicas(d);
    if (replicas == 0) {
      return -ReplicaSets.desired(rs);
    }
    int max = replicas + DeploymentSpecs.maxSurge(d);
    int maxBefore = RevisionAnnotations.intValue(rs.getMetadata().getAnnotations(), RevisionAnnotations.MAX_REPLICAS);
    if (maxBefore <= 0) {
      // a ReplicaSet scaled by hand has no annotation: fall back to the Deployment's size
      maxBefore = d.getStatus() == null || d.getStatus().getReplicas() == null ? 0 : d.getStatus().getReplicas();
      if (maxBefore <= 0) {
        return 0;
      }
    }
    double size = (double) ReplicaSets.desired(rs) * max / maxBefore;
    return (int) Math.round(size) - ReplicaSets.desired(rs);
  }
}
