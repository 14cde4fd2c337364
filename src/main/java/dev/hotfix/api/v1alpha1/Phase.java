package dev.hotfix.api.v1alpha1;

/** Where a Hotfix is in its life; see docs/phases.md for the transitions. */
public enum Phase {
  /** Accepted, waiting to start (e.g. another Hotfix is active on the same Deployment). */
  Pending(false),
  /** Waiting for the approvals the policy requires. */
  AwaitingApproval(false),
  /** Waiting for a maintenance window (or the end of a freeze). */
  Scheduled(false),
  /** The patched images are rolling out. */
  RollingOut(false),
  /** Rolled out; checks keep running for the bake period. */
  Verifying(false),
  /** Rolled out and verified; the new revision stays. */
  Succeeded(true),
  /** A check failed (or abort was requested): restoring the recorded previous revision. */
  RollingBack(false),
  /** The previous revision is back and healthy. */
  RolledBack(true),
  /** Policy or validation said no; nothing was changed. */
  Rejected(true),
  /** Could not finish and could not (or was told not to) roll back: needs a human. */
  Failed(true),
  /** Someone else changed the target mid-flight; the operator stepped aside. */
  Superseded(true),
  /** A dry run (spec.dryRun) passed governance and pre-flight; the patch it would apply is in status, nothing changed. */
  Previewed(true);

  private final boolean terminal;

  Phase(boolean terminal) {
    this.terminal = terminal;
  }

  /** A terminal Hotfix is never acted on again unless its spec changes. */
  public boolean isTerminal() {
    return terminal;
  }
}
