package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.RecurrenceRecord;
import dev.hotfix.notify.EventRecorder;
import dev.hotfix.policy.RecurrencePolicy;
import io.fabric8.kubernetes.api.model.EventSource;

/**
 * Kubernetes Events on a Hotfix: one per phase change, and warnings (a failed notification, a
 * spent retry budget, a recurring hot fix), through the {@link EventRecorder}, which aggregates repeats into one
 * Event with a growing count. Failing to record never fails the Hotfix.
 */
final class HotfixEvents {
  /** The reason of the Warning Event on a recurring Hotfix. */
  static final String RECURRING = "RecurringHotfix";
  private static final EventSource SOURCE = new EventSource("hotfix-operator", null);

  private final EventRecorder recorder;

  HotfixEvents(EventRecorder recorder) {
    this.recorder = recorder;
  }

  void phaseChanged(Hotfix hotfix, Phase phase, String message) {
    recorder.record(hotfix, SOURCE, phase.isWarning() ? EventRecorder.WARNING : EventRecorder.NORMAL,
        phase.name(), message);
  }

  /** A Warning Event {@value #RECURRING} on a Hotfix just flagged as recurring. */
  void recurring(Hotfix hotfix) {
    RecurrenceRecord r = hotfix.getStatus().recurrence;
    warning(hotfix, RECURRING, RecurrencePolicy.describe(r.count, hotfix.getSpec().target.name, r.window)
        + (r.earlier == null || r.earlier.isEmpty() ? "" : " (earlier: " + String.join(", ", r.earlier) + ")")
        + ": a target that keeps needing hot fixes points to a gap in how changes reach it; review it");
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
