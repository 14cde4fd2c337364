package dev.hotfix.health;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the checks look at: the Deployment, the pods of the revision being judged, and the
 * limits the Hotfix sets.
 *
 * @param deployment the target as last observed
 * @param pods the pods of the ReplicaSet under test (empty until it exists)
 * @param startedAt when the rollout (or rollback) under test began
 * @param progressDeadline how long the rollout may take in all
 * @param podReadyTimeout how long one new pod may take to become ready
 * @param maxRestarts restarts tolerated per new pod
 * @param now the time of this judgement
 */
public record RevisionUnderTest(Deployment deployment, List<Pod> pods, Instant startedAt, Duration progressDeadline,
    Duration podReadyTimeout, int maxRestarts, Instant now) {
}
