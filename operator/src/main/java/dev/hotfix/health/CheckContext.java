package dev.hotfix.health;

import dev.hotfix.api.v1alpha1.CanaryStatus;
import dev.hotfix.api.v1alpha1.CheckSpec;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.TargetKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a check runner of any kind (Prometheus, job, http) may read of one pass over a Hotfix: the
 * operator builds it from its observation, so the runners depend on the health model and the API
 * types only, never on the operator's loop.
 *
 * @param hotfix the Hotfix whose checks run
 * @param checks its checks, in spec order
 * @param interval how often a check is measured ({@code spec.verification.intervalSeconds})
 * @param now the time of this pass
 * @param attempt this attempt's token (a Job check's Job is created once per attempt)
 * @param targetKind the kind of the target, which names the label that tells its revisions apart
 * @param runningRevision the hash of the revision running before the change (what pre-flight asks about)
 * @param revisionUnderTest the hash of the revision checks measure once it is up: the canary while
 *     it is analysed, else the new revision once rolled out; empty before
 * @param analysedCanary the canary under analysis (ready, no verdict yet), which a comparative query needs
 * @param podLabels the target's pod template labels (an http check's Service must select them)
 * @param wake brings the Hotfix back when an answer it waits for is in
 */
public record CheckContext(Hotfix hotfix, List<CheckSpec> checks, Duration interval, Instant now, String attempt,
    TargetKind targetKind, Optional<String> runningRevision, Optional<String> revisionUnderTest,
    Optional<CanaryStatus> analysedCanary, Map<String, String> podLabels, Runnable wake) {

  public String namespace() {
    return hotfix.getMetadata().getNamespace();
  }

  /** The Hotfix's name. */
  public String name() {
    return hotfix.getMetadata().getName();
  }

  /** The target's name. */
  public String targetName() {
    return hotfix.getSpec().target.name;
  }

  /** The key of this generation's requests to the workers: a changed spec asks afresh. */
  public MeasurementWorkers.Request request(String purpose, String query) {
    return new MeasurementWorkers.Request(hotfix.getMetadata().getUid() + "/" + hotfix.getMetadata().getGeneration(),
        purpose, query);
  }

  /** When a check measured last at {@code lastMeasuredAt} is due again: now if never measured. */
  public Instant dueAfter(String lastMeasuredAt) {
    return lastMeasuredAt == null ? now : Instant.parse(lastMeasuredAt).plus(interval);
  }
}
