package dev.hotfix.operator;

import java.util.Optional;

/**
 * Succeeded, RolledBack, Rejected, Failed, Superseded, Previewed: never acted on again. The spec is
 * immutable but for {@code abort}, which has nothing left to stop: a new attempt is a new Hotfix,
 * with approvals of its own.
 */
final class TerminalHandler implements PhaseHandler {

  @Override
  public Step handle(Observation o) {
    return Step.stay(o.phase(), o.status().message, Optional.empty());
  }
}
