package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.health.MeasurementWorkers;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.util.Set;

/**
 * The event source that brings a Hotfix back when a metric query it is waiting for has answered
 * ({@link MeasurementWorkers}): the reconcile that submitted the query returned at once, and this
 * event, not a poll, resumes it. It owns the workers: stopping the operator stops them.
 */
final class MeasurementAnswers extends AbstractEventSource<MeasurementWorkers.Answer, Hotfix> {
  private final MeasurementWorkers workers;

  MeasurementAnswers(MeasurementWorkers workers) {
    super(MeasurementWorkers.Answer.class, "measurement-answers");
    this.workers = workers;
  }

  MeasurementWorkers workers() {
    return workers;
  }

  @Override
  public void stop() {
    super.stop();
    workers.close();
  }

  /** Triggers a reconcile of {@code hotfix}; ignored before the operator started. */
  void answered(ResourceID hotfix) {
    if (isRunning()) {
      getEventHandler().handleEvent(new Event(hotfix));
    }
  }

  @Override
  public Set<MeasurementWorkers.Answer> getSecondaryResources(Hotfix primary) {
    return Set.of();
  }
}
