package dev.hotfix.operator;

/**
 * AwaitingApproval: every HotfixApproval naming the Hotfix (created, or its status written)
 * weighs the approvals again; a counted Reject ends it Rejected. Once enough approvers signed
 * off, the Hotfix returns to Pending, which checks the target again and starts.
 */
final class AwaitingApprovalHandler implements PhaseHandler {
  private final GovernanceGate gate;

  AwaitingApprovalHandler(GovernanceGate gate) {
    this.gate = gate;
  }

  @Override
  public Step handle(Observation o) {
    return WaitingLine.supersededByCritical(o).orElseGet(() -> gate.rule(o).heldOrBackToPending(""));
  }
}
