package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.notify.EventRecorder;
import io.fabric8.kubernetes.api.model.EventSource;
import java.util.EnumSet;
import java.util.Set;

/**
 * Kubernetes Events on a Hotfix: one per phase change, and warnings (a failed notification, a
 * spent retry budget), through the {@link EventRecorder}, which aggregates repeats into one
 * Event with a growing count. Failing to record never fails the Hotfix.
 */
final class HotfixEvents {
  private static final EventSource SOURCE = new EventSource("hotfix-operator", null);
  private static final Set<Phase> WARNINGS =
      EnumSet.of(Phase.RollingBack, Phase.RolledBack, Phase.Failed, Phase.Rejected, Phase.Superseded);

  private final EventRecorder recorder;

  HotfixEvents(EventRecorder recorder) {
    this.recorder = recorder;
  }

  void phaseChanged(Hotfix hotfix, Phase phase, String message) {
    recorder.record(hotfix, SOURCE, WARNINGS.contains(phase) ? EventRecorder.WARNING : EventRecorder.NORMAL,
        phase.name(), message);
  }

  /** A step of the canary (CanaryStarted, CanaryAnalysing, CanaryPassed; CanaryFailed as a Warning). */
  void canaryStep(Hotfix hotfix, String reason, boolean warning, String message) {
    recorder.record(hotfix, SOURCE, warning ? EventRecorder.WARNING : EventRecorder.NORMAL, reason, message);
  }

  /** A Warning Event that is not a phase change, with {@code reason} (NotificationFailed, RetriesExhausted). */
  void warning(Hotfix hotfix, String reason, String message) {
    recorder.record(hotfix, SOURCE, EventRecorder.WARNING, reason, message);
  }
}
