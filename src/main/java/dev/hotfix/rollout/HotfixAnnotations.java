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

  /** The revision the active Hotfix replaced, as JSON ({@link PreviousRevisionAnnotation}). */
  public static final String PREVIOUS_REVISION = "hotfix.dev/previous-revision";

  /** The field manager name the operator writes with. */
  public static final String FIELD_MANAGER = "hotfix-operator";
}
