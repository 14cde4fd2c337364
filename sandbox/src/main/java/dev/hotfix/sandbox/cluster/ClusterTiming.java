package dev.hotfix.sandbox.cluster;

import java.time.Duration;
import java.util.Objects;

/**
 * How fast the simulated cluster moves. Upstream's kubelet restarts a crashed container at once
 * the first time, then waits 10s doubling to 5m; a sandbox keeps the same shape (a base that
 * doubles up to a cap) at a pace a demo or a test can watch.
 *
 * @param podStartDelay time from a pod being bound to its containers running (image pull and
 *     container start), and for healthy images to it being ready
 * @param crashLoopRunTime how long a {@code crashloop} container runs before it exits with an error
 * @param backOffBase the back-off before the second restart, and the first image-pull back-off
 * @param backOffCap the longest back-off; each further failure doubles the previous one up to it
 * @param imagePullFailureDelay how long a failing image pull takes before it reports ErrImagePull
 */
public record ClusterTiming(
    Duration podStartDelay,
    Duration crashLoopRunTime,
    Duration backOffBase,
    Duration backOffCap,
    Duration imagePullFailureDelay) {

  /** Validates that every duration is present and not negative, the base positive, the cap not below it. */
  public ClusterTiming {
    for (Duration d :
        new Duration[] {podStartDelay, crashLoopRunTime, backOffBase, backOffCap, imagePullFailureDelay}) {
      Objects.requireNonNull(d, "every ClusterTiming duration is required");
      if (d.isNegative()) {
        throw new IllegalArgumentException("ClusterTiming durations must not be negative: " + d);
      }
    }
    if (backOffBase.isZero()) {
      // a zero back-off would let a failing container cycle without time passing
      throw new IllegalArgumentException("backOffBase must be positive");
    }
    if (backOffCap.compareTo(backOffBase) < 0) {
      throw new IllegalArgumentException("backOffCap must not be below backOffBase");
    }
  }

  /**
   * The sandbox's pace: ready after about a second; a crashing container runs half a second (so
   * its second crash, the first that waits in CrashLoopBackOff, comes about 1.5s after the start);
   * back-off 1s doubling up to 30s, upstream's 10s to 5m at a tenth.
   */
  public static ClusterTiming defaults() {
    return new ClusterTiming(
        Duration.ofSeconds(1),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofSeconds(30),
        Duration.ofSeconds(1));
  }

  /**
   * How long an exited container shows {@code terminated} before the kubelet acts on it: a tenth
   * of the back-off base, as upstream's 1s status relist is to its 10s base.
   */
  public Duration exitNoticedAfter() {
    return backOffBase.dividedBy(10);
  }

  /**
   * The back-off after the given number of consecutive failures (1 for the first): the base
   * doubled for each earlier failure, never above the cap.
   */
  public Duration backOffAfter(int failures) {
    Duration d = backOffBase;
    for (int i = 1; i < failures && d.compareTo(backOffCap) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(backOffCap) > 0 ? backOffCap : d;
  }
}
