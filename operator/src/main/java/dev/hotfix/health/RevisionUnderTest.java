package dev.hotfix.health;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the checks look at: the Deployment, the ReplicaSet and pods of the revision being judged,
 * and the limits the Hotfix sets.
 *
 * @param deployment the target as last observed
 * @param replicaSet the ReplicaSet of the revision under test (empty until it exists)
 * @param pods the pods of the ReplicaSet under test (empty until it exists)
 * @param startedAt when the rollout (or rollback) under test began
 * @param progressDeadline how long the rollout may take in all
 * @param podReadyTimeout how long one new pod may take to become ready
 * @param maxRestarts terminations tolerated per new container
 * @param now the time of this judgement
 * @param workload the target as stored: the Deployment, or the StatefulSet or DaemonSet that
 *     {@code deployment} is a view of ({@code rollout/WorkloadView}); its progress is judged by its kind
 */
public record RevisionUnderTest(Deployment deployment, Optional<ReplicaSet> replicaSet, List<Pod> pods,
    Instant startedAt, Duration progressDeadline, Duration podReadyTimeout, int maxRestarts, Instant now,
    HasMetadata workload) {

  /** A revision of a Deployment. */
  public RevisionUnderTest(Deployment deployment, Optional<ReplicaSet> replicaSet, List<Pod> pods,
      Instant startedAt, Duration progressDeadline, Duration podReadyTimeout, int maxRestarts, Instant now) {
    this(deployment, replicaSet, pods, startedAt, progressDeadline, podReadyTimeout, maxRestarts, now, deployment);
  }

  /** The Deployment alone, for judging its rollout progress (no ReplicaSet or pods). */
  public static RevisionUnderTest rolloutOf(Deployment deployment, Instant startedAt, Duration progressDeadline,
      Instant now) {
    return rolloutOf(deployment, deployment, startedAt, progressDeadline, now);
  }

  /** A target alone (its view and itself), for judging its rollout progress. */
  public static RevisionUnderTest rolloutOf(Deployment view, HasMetadata workload, Instant startedAt,
      Duration progressDeadline, Instant now) {
    return new RevisionUnderTest(view, Optional.empty(), List.of(), startedAt, progressDeadline, Duration.ZERO,
        0, now, workload);
  }
}
