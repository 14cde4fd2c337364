package dev.hotfix.health;

import dev.hotfix.api.v1alpha1.RollbackCause;
import java.time.Instant;
import java.util.Optional;

/**
 * One way of judging a revision, as a provider of {@link Measurement}s: {@link RolloutProgress}
 * and {@link PodFaults} read the cluster's own state; each check kind has its package
 * ({@code prometheus.MetricCheck} queries Prometheus, {@code job.SmokeTest} runs a Job,
 * {@code http.HttpProbe} GETs a Service).
 * PASS is healthy, FAIL is decisive, NO_DATA means nothing to judge yet (a rollout still in
 * progress, a pod still starting, an empty query result), ERROR means the provider could not
 * answer. How measurements become a decision differs: the cluster's checks run on every event
 * and their first FAIL rolls back at once ({@link ClusterHealth}); metric checks run on their interval
 * and their outcomes are tallied against the limits ({@link CheckTally}).
 */
public interface HealthCheck {

  /** A short, stable name for status, logs and rollback reasons. */
  String name();

  /** The cause a failure gives the rollback. */
  RollbackCause cause();

  /** Measures the revision now; never blocks on the network for longer than the provider's timeout. */
  Measurement measure(RevisionUnderTest revision);

  /** When a measurement could change without any new event (a deadline), if ever. */
  default Optional<Instant> recheckAt(RevisionUnderTest revision) {
    return Optional.empty();
  }
}
