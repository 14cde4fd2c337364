package dev.hotfix.rollout;

/**
 * What the operator writes on a user's Deployment, in the same write as the image change, so
 * the Deployment itself says which Hotfix holds it and what it replaced (a crash between the
 * status write and the patch cannot lose the previous revision).
 */
public final class HotfixAnnotations {
  private HotfixAnnotations() {
  }

  /** The Hotfix (name in the same namespace) currently acting on the Deployment: a lock. */
  public static final String ACTIVE = "hotfix.dev/active";

  /**
   * Which attempt of the active Hotfix holds the lock: its uid and the time it started. The
   * Deployment controller copies a Deployment's annotations onto its new ReplicaSet and
   * {@code kubectl rollout undo} copies them back, so a stale {@link #ACTIVE} can reappear long
   * after its Hotfix ended; only this token proves the lock is this attempt's.
   */
  public static final String ATTEMPT = "hotfix.dev/attempt";

  /**
   * The pod-template-hash of the last revision a Hotfix saw healthy (verified, or rolled back to
   * and healthy): the rollback target when a later Hotfix replaces a revision that was already failing.
   */
  public static final String LAST_GOOD = "hotfix.dev/last-good";

  /**
   * When the revision the active Hotfix replaced was already failing: the last revision known
   * good, as JSON, the one a rollback restores instead (written with the lock, like
   * {@link #PREVIOUS_REVISION}, so status alone cannot steer a rollback).
   */
  public static final String ROLLBACK_TARGET = "hotfix.dev/rollback-target";

  /** The revision the active Hotfix replaced, as JSON ({@link PreviousRevisionAnnotation}). */
  public static final String PREVIOUS_REVISION = "hotfix.dev/previous-revision";

  /** The field manager name the operator writes with. */
  public static final String FIELD_MANAGER = "hotfix-operator";
}
