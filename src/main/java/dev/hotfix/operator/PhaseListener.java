package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.Phase;
import java.time.Instant;

/** Told of every phase change after it is stored (metrics, notifications, the demo's live view). */
public interface PhaseListener {

  PhaseListener NONE = (hotfix, from, to, at) -> { };

  /** Tells {@code first}, then {@code second}. */
  static PhaseListener both(PhaseListener first, PhaseListener second) {
    return (hotfix, from, to, at) -> {
      first.phaseChanged(hotfix, from, to, at);
      second.phaseChanged(hotfix, from, to, at);
    };
  }

  /**
   * @param hotfix the Hotfix as stored
   * @param from the previous phase, null for a new Hotfix
   * @param to the new phase
   * @param at when it changed
   */
  void phaseChanged(Hotfix hotfix, Phase from, Phase to, Instant at);
}
