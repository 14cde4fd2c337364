package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.CanaryStatus;
import dev.hotfix.api.v1alpha1.CanaryVerdict;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.RevisionRecord;
import dev.hotfix.api.v1alpha1.TargetKind;
import dev.hotfix.health.ClusterHealth;
import dev.hotfix.health.Verdict;
import dev.hotfix.rollout.TargetChanges;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.time.Instant;
import java.util.Optional;

/**
 * The canary of a StatefulSet ({@code spec.rollout.canary}): its own rolling update, held by
 * {@code rollingUpdate.partition}. The rollout patch writes partition = replicas − canary pods
 * ({@link RolloutPatch}), so the controller replaces only the highest ordinals; once they are
 * ready, pod faults and the checks judge them for the analysis time. A passing verdict is
 * recorded first, then the partition goes to 0 and the rollout carries on (a lost status write
 * cannot make the released pods look like someone else's); a failing one rolls back as any
 * failure does: the template restored, so the canary pods go back and the pods below the
 * partition were never replaced.
 */
final class PartitionCanary {
  private final DeploymentWriter writer;
  private final ClusterHealth health;
  private final VerificationChecks metricChecks;
  private final RollbackDecision rollback;

  PartitionCanary(DeploymentWriter writer, ClusterHealth health, VerificationChecks checks, RollbackDecision rollback) {
    this.writer = writer;
    this.health = health;
    this.metricChecks = checks;
    this.rollback = rollback;
  }

  /** Whether the Hotfix's StatefulSet rollout is to be held at the canary's partition: no verdict yet. */
  static boolean holds(Observation o) {
    CanaryStatus c = o.status().canary;
    return o.targetKind() == TargetKind.StatefulSet && CanaryPlan.of(o.hotfix().getSpec()).isPresent()
        && (c == null || c.verdict == null);
  }

  /** The canary as the rollout patch starts it: recorded in the same step as the patch. */
  static Optional<CanaryStatus> started(Observation o, Deployment d) {
    if (!holds(o)) {
      return Optional.empty();
    }
    int replicas = replicas(d);
    CanaryPlan plan = CanaryPlan.of(o.hotfix().getSpec()).orElseThrow();
    CanaryStatus canary = new CanaryStatus();
    canary.partition = plan.partitionFor(replicas);
    canary.pods = replicas - canary.partition;
    canary.readyPods = 0;
    canary.baselineHash = o.status().previous.podTemplateHash;
    canary.startedAt = o.now().toString();
    return Optional.of(canary);
  }

  /**
   * The canary's step once the StatefulSet holds the new revision {@code applied}; empty when
   * there is no canary or it passed and the partition is down, so the rollout is judged as usual.
   */
  Optional<Step> step(Observation o, RevisionRecord applied, Instant patchedAt) throws WriteConflict {
    Optional<CanaryPlan> plan = CanaryPlan.of(o.hotfix().getSpec());
    if (o.targetKind() != TargetKind.StatefulSet || plan.isEmpty()) {
      return Optional.empty();
    }
    CanaryStatus status = o.status().canary != null ? CanaryStage.copy(o.status().canary) : adopted(o, patchedAt);
    if (status.verdict == CanaryVerdict.Passed) {
      return release(o);
    }
    if (status.verdict != null) {
      return Optional.empty(); // Failed: rolling back, as recorded with the verdict
    }
    status.podTemplateHash = applied.podTemplateHash;
    Optional<Verdict> overBound = Exposure.exceeded(o);
    if (overBound.isPresent()) {
      return Optional.of(fail(o, status, applied, overBound.get()));
    }
    Verdict pods = health.judge(o.revisionUnderTest(applied.podTemplateHash, patchedAt));
    if (pods.isFailed()) {
      return Optional.of(fail(o, status, applied, Verdict.failed(pods.cause(), "canary " + pods.message())));
    }
    status.readyPods = (int) o.podsOf(applied.podTemplateHash).stream().filter(Readiness::isPodReady).count();
    String target = "StatefulSet " + o.hotfix().getSpec().target.name;
    if (status.analysisStartedAt == null) {
      if (!pods.isHealthy()) {
        return Optional.of(new Step(Phase.RollingOut, "canary: " + status.readyPods + " of " + status.pods
            + " pod(s) ready at partition " + status.partition + " (" + pods.message() + ")",
            s -> canary(s, status, applied), pods.recheckAt()));
      }
      Instant now = o.now();
      status.analysisStartedAt = now.toString();
      status.analysisEndsAt = now.plus(plan.get().analysis()).toString();
      return Optional.of(new Step(Phase.RollingOut, "canary: " + target + "'s " + status.pods + " pod(s) from ordinal "
          + status.partition + " up are ready on revision " + applied.revision + ", about " + share(status, o)
          + " of requests; analysing for " + plan.get().analysis().toSeconds() + "s (until " + status.analysisEndsAt
          + ")", s -> canary(s, status, applied), Optional.of(now)).noted());
    }
    return Optional.of(CanaryAnalysis.step(o, metricChecks, status, plan.get().analysis(),
        s -> canary(s, status, applied), v -> fail(o, status, applied, v), "lowering " + target + "'s partition to 0"));
  }

  /**
   * The canary of a StatefulSet patched while the status write recording it was lost: read back
   * from the partition the patch left on it.
   */
  private static CanaryStatus adopted(Observation o, Instant patchedAt) {
    Deployment d = o.deployment().orElseThrow();
    CanaryStatus canary = new CanaryStatus();
    canary.partition = partitionOf((StatefulSet) o.target().orElseThrow().workload());
    canary.pods = replicas(d) - canary.partition;
    canary.baselineHash = o.status().previous == null ? null : o.status().previous.podTemplateHash;
    canary.startedAt = patchedAt.toString();
    return canary;
  }

  /** The StatefulSet's rollingUpdate.partition as stored (0 when absent, as the API server defaults it). */
  static int partitionOf(StatefulSet set) {
    var strategy = set.getSpec().getUpdateStrategy();
    Integer partition = strategy == null || strategy.getRollingUpdate() == null ? null
        : strategy.getRollingUpdate().getPartition();
    return partition == null ? 0 : partition;
  }

  /**
   * When the rollout to all pods began, which its deadline counts from: for a StatefulSet whose
   * canary passed, the end of the analysis (the partition was lowered then), else the patch.
   */
  static Instant rolloutStart(Observation o, Instant patchedAt) {
    CanaryStatus c = o.status().canary;
    if (o.targetKind() != TargetKind.StatefulSet || c == null || c.verdict != CanaryVerdict.Passed
        || c.analysisEndsAt == null) {
      return patchedAt;
    }
    Instant released = Instant.parse(c.analysisEndsAt);
    return released.isAfter(patchedAt) ? released : patchedAt;
  }

  /** After the passing verdict (recorded): the partition lowered to 0, once; then nothing more to do here. */
  private Optional<Step> release(Observation o) throws WriteConflict {
    StatefulSet set = (StatefulSet) o.target().orElseThrow().workload();
    int partition = partitionOf(set);
    if (partition == 0) {
      return Optional.empty();
    }
    Deployment d = o.deployment().orElseThrow();
    writer.patch(d, TargetChanges.promote(d, o.spec().strategy(TargetKind.StatefulSet)));
    return Optional.of(new Step(Phase.RollingOut, "canary passed; lowered StatefulSet " + set.getMetadata().getName()
        + "'s partition from " + partition + " to 0: rolling out to all " + replicas(d) + " pods",
        s -> { }, Optional.of(o.now().plus(o.spec().progressDeadline()))));
  }

  /**
   * A failed canary: rolled back as any failure of the rollout is (the template restored, which
   * takes the canary pods back; the pods below the partition never changed).
   */
  private Step fail(Observation o, CanaryStatus status, RevisionRecord applied, Verdict v) {
    status.verdict = CanaryVerdict.Failed;
    return rollback.failure(o, Verdict.failed(v.cause(), v.message().startsWith("canary") ? v.message()
        : "canary failed: " + v.message())).with(s -> canary(s, status, applied));
  }

  private static void canary(dev.hotfix.api.v1alpha1.HotfixStatus s, CanaryStatus status, RevisionRecord applied) {
    s.canary = status;
    s.applied = applied;
  }

  /** In place: the canary's pods are that share of the replicas (a Service spreads requests over them alike). */
  private static String share(CanaryStatus status, Observation o) {
    int replicas = replicas(o.deployment().orElseThrow());
    return Math.round(100.0 * status.pods / replicas) + "%";
  }

  private static int replicas(Deployment d) {
    return d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
  }
}
