package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.Phase;
import java.time.Instant;

/** Told of every phase change after it is stored (metrics, notifications, the demo's live view). */
public interface PhaseListener {

  PhaseListener NONE = (hotfix, from, to, at) -> { };

  /** Tells {@code first}, then {@code second}. */
  static PhaseListener both(PhaseListener first, PhaseListener second) {
    return new PhaseListener() {
      @Override
      public void phaseChanged(Hotfix hotfix, Phase from, Phase to, Instant at) {
        first.phaseChanged(hotfix, from, to, at);
        second.phaseChanged(hotfix, from, to, at);
      }

      @Override
      public void phaseSeen(Hotfix hotfix) {
        first.phaseSeen(hotfix);
        second.phaseSeen(hotfix);
      }

      @Override
      public void deleted(Hotfix hotfix) {
        first.deleted(hotfix);
        second.deleted(hotfix);
      }

      @Override
      public void recurring(Hotfix hotfix) {
        first.recurring(hotfix);
        second.recurring(hotfix);
      }
    };
  }

  /**
   * Told of a Hotfix as stored when it is reconciled, changed or not: what a listener keeps about
   * current phases (a gauge) is rebuilt from it after a restart or a leader fail-over, when no
   * phase change comes for Hotfixes already under way or finished.
   */
  default void phaseSeen(Hotfix hotfix) {
  }

  /** Told when a Hotfix is gone from the API: what is kept about it (a gauge series) goes too. */
  default void deleted(Hotfix hotfix) {
  }

  /** Told once when a Hotfix is first flagged as recurring (status.recurrence stored). */
  default void recurring(Hotfix hotfix) {
  }

  /**
   * @param hotfix the Hotfix as stored
   * @param from the previous phase, null for a new Hotfix
   * @param to the new phase
   * @param at when it changed
   */
  void phaseChanged(Hotfix hotfix, Phase from, Phase to, Instant at);
}
