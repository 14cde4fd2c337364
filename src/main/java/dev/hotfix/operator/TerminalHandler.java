package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.Phase;
import java.util.Objects;
import java.util.Optional;

/**
 * Succeeded, RolledBack, Rejected, Failed, Superseded: never acted on again, unless the spec
 * changes (a new generation is a new attempt, starting from Pending).
 */
final class TerminalHandler implements PhaseHandler {

  @Override
  public Step handle(Observation o) {
    Long generation = o.hotfix().getMetadata().getGeneration();
    if (!Objects.equals(generation, o.status().observedGeneration)) {
      return Step.to(Phase.Pending, "spec changed (generation " + generation + "): starting a new attempt")
          .with(s -> {
            s.previous = null;
            s.applied = null;
            s.rollbackReason = null;
            s.startedAt = null;
            s.bakeStartedAt = null;
            s.rollbackStartedAt = null;
            s.finishedAt = null;
            s.checks = null;
          });
    }
    return Step.stay(o.phase(), o.status().message, Optional.empty());
  }
}
