package dev.hotfix.history;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.notify.EventRecorder;
import dev.hotfix.operator.PhaseListener;
import io.fabric8.kubernetes.api.model.EventSource;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records each Hotfix in its target's history when it reaches a terminal phase, once (by uid).
 * A Hotfix that ended while no operator was listening (a crash between its status write and this
 * record) is recorded when it is next seen after the restart; the uids settled in this process
 * are remembered so that a finished Hotfix costs one read of its history, not one per reconcile.
 * When the history's ConfigMap is someone else's, a Warning Event {@value #UNAVAILABLE_REASON} on
 * the Hotfix says so. Failing to record is logged and never fails the Hotfix.
 */
public final class HistoryRecorder implements PhaseListener {
  /** The Event reason when the target's history could not be written. */
  public static final String UNAVAILABLE_REASON = "HistoryUnavailable";
  private static final Logger LOG = LoggerFactory.getLogger(HistoryRecorder.class);
  private static final EventSource SOURCE = new EventSource("hotfix-operator", null);

  private final HistoryStore store;
  private final EventRecorder events;
  private final Set<String> settled = ConcurrentHashMap.newKeySet();

  public HistoryRecorder(HistoryStore store, EventRecorder events) {
    this.store = store;
    this.events = events;
  }

  @Override
  public void phaseChanged(Hotfix hotfix, Phase from, Phase to, Instant at) {
    if (to.isTerminal()) {
      record(hotfix);
    }
  }

  @Override
  public void phaseSeen(Hotfix hotfix) {
    if (hotfix.getStatus() != null && hotfix.getStatus().phase != null && hotfix.getStatus().phase.isTerminal()
        && !settled.contains(hotfix.getMetadata().getUid())) {
      record(hotfix);
    }
  }

  @Override
  public void deleted(Hotfix hotfix) {
    settled.remove(hotfix.getMetadata().getUid());
  }

  private void record(Hotfix hotfix) {
    if (hotfix.getSpec() == null || hotfix.getSpec().target == null) {
      return;
    }
    try {
      if (store.record(hotfix) instanceof HistoryStore.Unavailable u) {
        events.record(hotfix, SOURCE, EventRecorder.WARNING, UNAVAILABLE_REASON, "this Hotfix is not in the history "
            + "of its target: " + u.why());
      }
      // settled also when unavailable: warned once; the next operator start tries again
      settled.add(hotfix.getMetadata().getUid());
    } catch (RuntimeException e) {
      LOG.warn("could not record Hotfix {} in the history of its target: {}", hotfix.getMetadata().getName(),
          e.toString());
    }
  }
}
