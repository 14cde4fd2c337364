package dev.hotfix.api.v1alpha1;

/**
 * Where a Hotfix is in its life; see docs/phases.md for the transitions. The one place that
 * knows the phase groups: which phases the policy still decides, which act on the target, which
 * judge the new revision, which are warnings, which are terminal.
 */
public enum Phase {
  /** Accepted, waiting to start (e.g. another Hotfix is active on the same Deployment). */
  Pending(Stage.DECIDING, false),
  /** Waiting for the approvals the policy requires. */
  AwaitingApproval(Stage.DECIDING, false),
  /** Waiting for a maintenance window (or the end of a freeze). */
  Scheduled(Stage.DECIDING, false),
  /** The patched images are rolling out. */
  RollingOut(Stage.ACTING, false),
  /** Rolled out; checks keep running for the bake period. */
  Verifying(Stage.ACTING, false),
  /** Rolled out and verified; the new revision stays. */
  Succeeded(Stage.ENDED, false),
  /** A check failed (or abort was requested): restoring the recorded previous revision. */
  RollingBack(Stage.ACTING, true),
  /** The previous revision is back and healthy. */
  RolledBack(Stage.ENDED, true),
  /** Policy or validation said no; nothing was changed. */
  Rejected(Stage.ENDED, true),
  /** Could not finish and could not (or was told not to) roll back: needs a human. */
  Failed(Stage.ENDED, true),
  /** Someone else changed the target mid-flight; the operator stepped aside. */
  Superseded(Stage.ENDED, true),
  /** A dry run (spec.dryRun) passed governance and pre-flight; the patch it would apply is in status, nothing changed. */
  Previewed(Stage.ENDED, false);

  /** The three stages of a Hotfix's life. */
  private enum Stage { DECIDING, ACTING, ENDED }

  private final Stage stage;
  private final boolean warning;

  Phase(Stage stage, boolean warning) {
    this.stage = stage;
    this.warning = warning;
  }

  /** A terminal Hotfix is never acted on again unless its spec changes. */
  public boolean isTerminal() {
    return stage == Stage.ENDED;
  }

  /** Pending, AwaitingApproval, Scheduled: the policy still decides, nothing on the target changed. */
  public boolean isDeciding() {
    return stage == Stage.DECIDING;
  }

  /** AwaitingApproval, Scheduled: held by the policy alone (a break-glass Critical does not queue behind them). */
  public boolean isHeldByPolicy() {
    return this == AwaitingApproval || this == Scheduled;
  }

  /** RollingOut, Verifying, RollingBack: the Hotfix holds its target and may change it. */
  public boolean isActing() {
    return stage == Stage.ACTING;
  }

  /** RollingOut, Verifying: the new revision is being judged. */
  public boolean isJudging() {
    return this == RollingOut || this == Verifying;
  }

  /** Whether entering this phase is a Warning Event (a rollback, a refusal, a failure). */
  public boolean isWarning() {
    return warning;
  }
}
