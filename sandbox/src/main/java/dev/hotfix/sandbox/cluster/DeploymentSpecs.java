package dev.hotfix.sandbox.cluster;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;

/**
 * A Deployment's spec read with apps/v1 defaults applied (replicas 1, RollingUpdate 25%/25%,
 * revisionHistoryLimit 10, progressDeadlineSeconds 600), so the controller is right even when
 * nothing defaulted the object, and the rolling-update fenceposts computed as upstream does.
 */
final class DeploymentSpecs {

  static final String RECREATE = "Recreate";
  private static final IntOrString DEFAULT_SURGE_OR_UNAVAILABLE = new IntOrString("25%");

  private DeploymentSpecs() {}

  /** Desired replicas, 1 when unset. */
  static int replicas(Deployment d) {
    Integer r = d.getSpec().getReplicas();
    return r == null ? 1 : r;
  }

  /** Whether the strategy is RollingUpdate, which is the default. */
  static boolean isRollingUpdate(Deployment d) {
    DeploymentStrategy s = d.getSpec().getStrategy();
    return s == null || s.getType() == null || !RECREATE.equals(s.getType());
  }

  static boolean isPaused(Deployment d) {
    return Boolean.TRUE.equals(d.getSpec().getPaused());
  }

  static int revisionHistoryLimit(Deployment d) {
    Integer l = d.getSpec().getRevisionHistoryLimit();
    return l == null ? 10 : l;
  }

  static int minReadySeconds(Deployment d) {
    Integer s = d.getSpec().getMinReadySeconds();
    return s == null ? 0 : s;
  }

  /**
   * The progress deadline in seconds, or -1 when there is none (upstream treats MaxInt32 as "no
   * deadline").
   */
  static long progressDeadlineSeconds(Deployment d) {
    Integer s = d.getSpec().getProgressDeadlineSeconds();
    if (s == null) {
      return 600;
    }
    return s == Integer.MAX_VALUE ? -1 : s;
  }

  static boolean hasProgressDeadline(Deployment d) {
    return progressDeadlineSeconds(d) >= 0;
  }

  /** Pods allowed above the desired count during a rolling update (0 for Recreate). */
  static int maxSurge(Deployment d) {
    if (!isRollingUpdate(d)) {
      return 0;
    }
    return fenceposts(d).surge();
  }

  /** Pods allowed to be unavailable during a rolling update (0 for Recreate), at most replicas. */
  static int maxUnavailable(Deployment d) {
    int replicas = replicas(d);
    if (!isRollingUpdate(d) || replicas == 0) {
      return 0;
    }
    return Math.min(fenceposts(d).unavailable(), replicas);
  }

  /** maxSurge and maxUnavailable resolved against a replica count. */
  record Fenceposts(int surge, int unavailable) {}

  private static Fenceposts fenceposts(Deployment d) {
    RollingUpdateDeployment ru = rollingUpdate(d.getSpec());
    IntOrString surge = ru == null || ru.getMaxSurge() == null ? DEFAULT_SURGE_OR_UNAVAILABLE : ru.getMaxSurge();
    IntOrString unavailable =
        ru == null || ru.getMaxUnavailable() == null ? DEFAULT_SURGE_OR_UNAVAILABLE : ru.getMaxUnavailable();
    return resolveFenceposts(surge, unavailable, replicas(d));
  }

  /**
   * Upstream's ResolveFenceposts: surge rounds up, unavailable rounds down, and both zero would
   * deadlock a rollout so unavailable becomes 1. A string that is not a percentage is refused.
   */
  static Fenceposts resolveFenceposts(IntOrString maxSurge, IntOrString maxUnavailable, int desired) {
    int surge = scaled(maxSurge, desired, true);
    int unavailable = scaled(maxUnavailable, desired, false);
    return new Fenceposts(surge, surge == 0 && unavailable == 0 ? 1 : unavailable);
  }

  private static RollingUpdateDeployment rollingUpdate(DeploymentSpec spec) {
    return spec.getStrategy() == null ? null : spec.getStrategy().getRollingUpdate();
  }

  /** An int-or-percent scaled against {@code total}, percentages rounded up or down. */
  static int scaled(IntOrString value, int total, boolean roundUp) {
    if (value.getIntVal() != null) {
      return value.getIntVal();
    }
    String s = value.getStrVal();
    if (s == null || !s.endsWith("%")) {
      throw new IllegalArgumentException("invalid int-or-percent value: " + s);
    }
    int percent = Integer.parseInt(s.substring(0, s.length() - 1));
    long product = (long) percent * total;
    return (int) (roundUp ? (product + 99) / 100 : product / 100);
  }
}
