package dev.hotfix.operator;

/**
 * Scheduled: outside a maintenance window or inside a freeze. Rescheduled for the instant the
 * window opens or the freeze ends; a policy edit or an approval re-evaluates at once. When the
 * policy lets it go, the Hotfix returns to Pending, which checks the target again and starts.
 */
final class ScheduledHandler implements PhaseHandler {
  private final GovernanceGate gate;

  ScheduledHandler(GovernanceGate gate) {
    this.gate = gate;
  }

  @Override
  public Step handle(Observation o) {
    return WaitingLine.supersededByCritical(o).orElseGet(() -> gate.rule(o).heldOrBackToPending("no longer held: "));
  }
}
