package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixPolicy;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.kube.ApiErrors;
import dev.hotfix.report.ReportWriter;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The thin reconciler: observe (from informer caches), let the handler of the current phase
 * decide, write the status, and, when the phase changed, let the next handler act at once in
 * the same pass (a detected fault is rolled back without waiting for another event). It
 * reschedules only for deadlines, bake ends and window openings; everything else is driven by
 * events on the target Deployment, its ReplicaSets and pods, rival Hotfixes, the namespace's
 * HotfixPolicy, the HotfixApprovals and the job checks' Jobs. The reconciler holds only this
 * loop: what it watches and how an event finds its Hotfix are {@link HotfixEventSources}', the
 * handlers and their collaborators are wired in {@link PhaseHandlers}.
 */
// All events, deletions included: the hotfix.dev/cleanup finalizer is managed here (CleanupFinalizer),
// not by java-operator-sdk, which would hold it for the Hotfix's whole life.
@ControllerConfiguration(name = "hotfix", triggerReconcilerOnAllEvents = true)
public final class HotfixReconciler implements Reconciler<Hotfix> {
  /** Phase changes handled in one pass at most (Scheduled → Pending → RollingOut → ... is 5). */
  private static final int MAX_STEPS_PER_PASS = 6;
  /** After a 409, look again soon: someone just wrote, so fresh state is on its way. */
  private static final Duration AFTER_CONFLICT = Duration.ofMillis(100);

  private final Clock clock;
  private final PhaseListener listener;
  private final OperatorOptions options;
  private final ReconcileTuning tuning;
  private final HotfixEvents events;
  private final ReconcileProgress progress;
  private final ReportWriter reports;
  private HotfixEventSources watched;
  private PhaseHandlers parts;

  /**
   * @param clock the time of observations and measurements
   * @param listener told of every phase change
   * @param options the default Prometheus and the meter registry
   * @param tuning the retry budget and the write seam
   * @param events where phase changes and warnings are recorded as Events
   * @param progress times each reconcile (the operator's readiness and its stuck-reconcile gauge)
   * @param reports where the finisher writes the incident reports
   */
  HotfixReconciler(Clock clock, PhaseListener listener, OperatorOptions options, ReconcileTuning tuning,
      HotfixEvents events, ReconcileProgress progress, ReportWriter reports) {
    this.clock = clock;
    this.listener = listener;
    this.options = options;
    this.tuning = tuning;
    this.events = events;
    this.progress = progress;
    this.reports = reports;
  }

  @Override
  public List<EventSource<?, Hotfix>> prepareEventSources(EventSourceContext<Hotfix> context) {
    watched = new HotfixEventSources(context);
    parts = PhaseHandlers.compose(context.getClient(), watched, clock, options, tuning, events, listener, reports);
    return watched.all(parts.answers());
  }

  @Override
  public UpdateControl<Hotfix> reconcile(Hotfix hotfix, Context<Hotfix> context) {
    return progress.track(() -> reconcileTracked(hotfix, context));
  }

  private UpdateControl<Hotfix> reconcileTracked(Hotfix hotfix, Context<Hotfix> context) {
    if (context.isPrimaryResourceDeleted()) {
      // gone for good (its finalizer was let go): nothing left to act on
      listener.deleted(hotfix);
      return UpdateControl.noUpdate();
    }
    Hotfix current = hotfix;
    listener.phaseSeen(hotfix);
    try {
      // a finished Hotfix still holding the finalizer (a crash right after its terminal status)
      // lets it go only once the finisher has released the Deployment and written the report
      Phase stored = PendingHandler.phaseOf(hotfix);
      if (hotfix.isMarkedForDeletion() && !CleanupFinalizer.heldIn(stored) && !stored.isTerminal()) {
        parts.finalizer().settle(current, stored);
        return UpdateControl.noUpdate();
      }
      for (int i = 0; i < MAX_STEPS_PER_PASS; i++) {
        Observation o = watched.observe(current, clock.instant());
        parts.canaries().sweep(o);
        Step step;
        try {
          Optional<Step> deleted = parts.deletion().step(o);
          step = deleted.isPresent() ? deleted.get() : parts.of(o.phase()).handle(o);
        } catch (WriteRefused refused) {
          step = refused.end(o);
        }
        step = step.with(s -> Exposure.record(s, o));
        if (CleanupFinalizer.heldIn(step.phase())) {
          // before the status that lets the next step change the Deployment
          current = remember(context, current, parts.finalizer().settle(current, step.phase()));
        }
        current = remember(context, current, parts.statusWriter().write(current, step, o.now()));
        if (step.phase() == o.phase()) {
          current = remember(context, current, parts.finalizer().settle(current, step.phase()));
          Optional<Duration> after = step.recheckAfter(clock.instant());
          return after.map(d -> UpdateControl.<Hotfix>noUpdate().rescheduleAfter(d.plusMillis(10)))
              .orElseGet(UpdateControl::noUpdate);
        }
      }
      return UpdateControl.<Hotfix>noUpdate().rescheduleAfter(Duration.ZERO);
    } catch (WriteConflict conflict) {
      return UpdateControl.<Hotfix>noUpdate().rescheduleAfter(AFTER_CONFLICT);
    }
  }

  /**
   * Makes our own write of the Hotfix what the next reconcile reads, even before its watch event
   * arrives: reading the older version would only end in a 409, and a metric measurement taken
   * in that pass would be lost with it (a failure not counted).
   */
  private static Hotfix remember(Context<Hotfix> context, Hotfix before, Hotfix written) {
    if (written != before) {
      context.eventSourceRetriever().getControllerEventSource()
          .handleRecentResourceUpdate(ResourceID.fromResource(written), written, before);
    }
    return written;
  }

  /**
   * A reconcile failed (the API answered 5xx, timed out, or was unreachable): java-operator-sdk
   * retries within its budget; once that is spent, the Hotfix must not park silently, so it says
   * so in status and a Warning Event and comes back after {@link ReconcileTuning#afterRetriesExhausted()}.
   */
  @Override
  public ErrorStatusUpdateControl<Hotfix> updateErrorStatus(Hotfix hotfix, Context<Hotfix> context, Exception e) {
    boolean exhausted = context.getRetryInfo().map(RetryInfo::isLastAttempt).orElse(true);
    if (!exhausted || context.isPrimaryResourceDeleted()) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    Duration again = tuning.afterRetriesExhausted();
    int attempts = context.getRetryInfo().map(RetryInfo::getAttemptCount).orElse(1);
    parts.statusWriter().noteTrouble(hotfix, "RetriesExhausted", "could not finish a step after " + attempts
        + " attempts (" + ApiErrors.describe(e) + "); phase " + PendingHandler.phaseOf(hotfix) + " is kept and the "
        + "operator tries again every " + again.toSeconds() + "s", clock.instant());
    return ErrorStatusUpdateControl.<Hotfix>noStatusUpdate().rescheduleAfter(again);
  }
}
