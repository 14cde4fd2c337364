package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixStatus;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.TimelineEntry;
import dev.hotfix.json.KubernetesJson;
import dev.hotfix.report.IncidentReport;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that writes Hotfix status: applies a {@link Step}, keeps the timeline and the
 * conditions, records an Event on each phase change (and when a Hotfix is first flagged as
 * recurring), and writes with the resourceVersion it
 * read (a 409 means someone else wrote: the caller re-reads and decides again).
 */
final class StatusWriter {
  private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);
  /** The timeline in status is bounded; the incident report keeps the whole story. */
  static final int TIMELINE_LIMIT = 50;

  private final KubernetesClient client;
  private final HotfixEvents events;
  private final PhaseListener listener;
  private final WriteSeam seam;

  StatusWriter(KubernetesClient client, HotfixEvents events, PhaseListener listener, WriteSeam seam) {
    this.client = client;
    this.events = events;
    this.listener = listener;
    this.seam = seam;
  }

  /**
   * Writes the status {@code step} leads to.
   *
   * @return the Hotfix as stored, or {@code hotfix} itself when nothing changed
   */
  Hotfix write(Hotfix hotfix, Step step, Instant now) throws WriteConflict {
    HotfixStatus before = hotfix.getStatus();
    HotfixStatus s = before == null ? new HotfixStatus()
        : KubernetesJson.SERIALIZATION.convertValue(before, HotfixStatus.class);
    Phase from = s.phase;
    long generation = hotfix.getMetadata().getGeneration() == null ? 0 : hotfix.getMetadata().getGeneration();
    s.phase = step.phase();
    s.message = StatusText.bounded(step.message());
    s.observedGeneration = generation;
    step.edit().accept(s);
    boolean phaseChanged = from != step.phase();
    if (phaseChanged || step.notable()) {
      addToTimeline(s, now, s.message);
    }
    if (phaseChanged && step.phase().isTerminal()) {
      s.finishedAt = now.toString();
      s.report = IncidentReport.configMapName(hotfix.getMetadata().getName());
    }
    Conditions.update(s, generation, now);
    if (Objects.equals(Serialization.asJson(s), before == null ? null : Serialization.asJson(before))) {
      return hotfix;
    }
    Hotfix stored = store(hotfix, s);
    CanaryProgress.step(before == null ? null : before.canary, s.canary)
        .ifPresent(reason -> events.canaryStep(stored, reason, reason.equals(CanaryProgress.FAILED), s.message));
    if (phaseChanged) {
      LOG.info("{} -> {}: {}", from == null ? "new" : from, step.phase(), s.message);
      events.phaseChanged(stored, step.phase(), s.message);
      listener.phaseChanged(stored, from, step.phase(), now);
    } else if (step.notable()) {
      LOG.info("{}: {}", step.phase(), step.message());
    }
    if (s.recurrence != null && (before == null || before.recurrence == null)) {
      events.recurring(stored);
      listener.recurring(stored);
    }
    return stored;
  }

  /**
   * Says in status (message and timeline) and in a Warning Event that the Hotfix is stuck on a
   * failing API, without deciding anything: phase, observedGeneration and records stay as they
   * are, so the next successful reconcile carries on exactly where it was. Best effort: the
   * status write may fail for the very reason it reports.
   */
  void noteTrouble(Hotfix hotfix, String reason, String message, Instant now) {
    events.warning(hotfix, reason, message);
    HotfixStatus s = hotfix.getStatus() == null ? new HotfixStatus()
        : KubernetesJson.SERIALIZATION.convertValue(hotfix.getStatus(), HotfixStatus.class);
    s.message = StatusText.bounded(message);
    addToTimeline(s, now, s.message);
    try {
      store(hotfix, s);
      LOG.warn("{}: {}", hotfix.getMetadata().getName(), message);
    } catch (WriteConflict | RuntimeException e) {
      LOG.warn("{}: {} (not in status: {})", hotfix.getMetadata().getName(), message, e.getMessage());
    }
  }

  /** One more timeline entry in {@code s}'s phase, dropping the oldest past the bound. */
  private static void addToTimeline(HotfixStatus s, Instant now, String message) {
    if (s.timeline == null) {
      s.timeline = new ArrayList<>();
    }
    s.timeline.add(new TimelineEntry(now.toString(), s.phase, message));
    while (s.timeline.size() > TIMELINE_LIMIT) {
      s.timeline.remove(0);
    }
  }

  /** Replaces the status, pinned to the resourceVersion {@code hotfix} was read at. */
  private Hotfix store(Hotfix hotfix, HotfixStatus status) throws WriteConflict {
    // a shallow copy: the status is the only part written, and a deep clone (a JSON round trip
    // of the whole Hotfix) was a tenth of the operator's CPU per status write
    Hotfix desired = new Hotfix();
    desired.setMetadata(hotfix.getMetadata());
    desired.setSpec(hotfix.getSpec());
    desired.setStatus(status);
    seam.beforeHotfixWrite(desired);
    Hotfix stored;
    try {
      stored = client.resource(desired).updateStatus();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        throw new WriteConflict("Hotfix " + hotfix.getMetadata().getName() + " changed since it was read");
      }
      throw e;
    }
    seam.afterStatusWrite(stored);
    return stored;
  }
}
