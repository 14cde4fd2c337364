package dev.hotfix.health;

/**
 * One way of judging a revision: rollout progress, pod faults, and (with verification)
 * metric queries. The phase handlers run every check on every event and act on the first
 * failure at once.
 */
public interface HealthCheck {

  /** A short, stable name for status and logs. */
  String name();

  /** Judges the revision now; never blocks on the network for long. */
  Verdict judge(RevisionUnderTest revision);
}
