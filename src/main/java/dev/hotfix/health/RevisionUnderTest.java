package dev.hotfix.health;

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
 */
public record RevisionUnderTest(Deployment deployment, Optional<ReplicaSet> replicaSet, List<Pod> pods,
    Instant startedAt, Duration progressDeadline, Duration podReadyTimeout, int maxRestarts, Instant now) {

  /** The Deployment alone, for judging its rollout progress (no ReplicaSet or pods). */
  public static RevisionUnderTest rolloutOf(Deployment deployment, Instant startedAt, Duration progressDeadline,
      Instant now) {
    return new RevisionUnderTest(deployment, Optional.empty(), List.of(), startedAt, progressDeadline, Duration.ZERO,
        0, now);
  }
}
