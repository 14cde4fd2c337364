package dev.hotfix.health;

/**
 * One way of judging a revision from the cluster's own state: rollout progress and pod faults.
 * The phase handlers run every check on every event and act on the first failure at once.
 * Metric checks are measured on a schedule instead, through {@link MetricCheck}, and their
 * measurements are tallied by {@link CheckTally}.
 */
public interface HealthCheck {

  /** A short, stable name for status and logs. */
  String name();

  /** Judges the revision now; never blocks on the network for long. */
  Verdict judge(RevisionUnderTest revision);
}
