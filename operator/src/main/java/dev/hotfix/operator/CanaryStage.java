package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.CanaryStatus;
import dev.hotfix.api.v1alpha1.CanaryVerdict;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.RevisionRecord;
import dev.hotfix.api.v1alpha1.RollbackCause;
import dev.hotfix.api.v1alpha1.TargetKind;
import dev.hotfix.health.Instants;
import dev.hotfix.health.Measurement;
import dev.hotfix.health.PodFaults;
import dev.hotfix.health.RevisionUnderTest;
import dev.hotfix.health.Verdict;
import dev.hotfix.json.KubernetesJson;
import dev.hotfix.rollout.CanaryReplicaSet;
import dev.hotfix.rollout.DeploymentRevisions;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.time.Instant;
import java.util.Optional;

/**
 * The canary step of RollingOut ({@code spec.rollout.canary}), before the Deployment is patched:
 * a ReplicaSet owned by the Hotfix runs the new images on a few pods beside the Deployment's own
 * (which it never touches, so they are never reduced); once all canary pods are ready, pod
 * faults and the metric checks judge it for the analysis time. A passing verdict lets the patch
 * go ahead (the canary is removed once the Deployment holds the new images); a failing one
 * removes the canary and ends the Hotfix RolledBack, the Deployment unchanged.
 */
final class CanaryStage {
  private final PodFaults podFaults = new PodFaults();
  private final CanaryWriter writer;
  private final VerificationChecks metricChecks;
  private final RollbackDecision rollback;

  CanaryStage(CanaryWriter writer, VerificationChecks checks, RollbackDecision rollback) {
    this.writer = writer;
    this.metricChecks = checks;
    this.rollback = rollback;
  }

  /**
   * The canary's step, or empty when the Deployment may be patched now (no canary asked for, or
   * its verdict passed).
   */
  Optional<Step> step(Observation o) throws WriteConflict {
    Optional<CanaryPlan> plan = CanaryPlan.of(o.hotfix().getSpec());
    CanaryStatus status = o.status().canary;
    if (plan.isEmpty() || o.targetKind() != TargetKind.Deployment
        || (status != null && status.verdict == CanaryVerdict.Passed)) {
      // a StatefulSet's canary is its partition, after the patch (PartitionCanary)
      return Optional.empty();
    }
    if (status != null && status.verdict == CanaryVerdict.Failed) {
      return Optional.of(removeFailed(o, status));
    }
    Deployment d = o.deployment().orElseThrow();
    if (o.canary().isEmpty()) {
      if (status != null && status.replicaSet != null) {
        if (writer.exists(o.hotfix().getMetadata().getNamespace(), status.replicaSet)) {
          return Optional.of(Step.stay(Phase.RollingOut, "canary ReplicaSet " + status.replicaSet + " created; "
              + "waiting to see it", Optional.empty()));
        }
        String deleted = "canary ReplicaSet " + status.replicaSet + " was deleted by someone else before its verdict";
        return Optional.of(ended(o, status, deleted).rollingBackFor(RollbackCause.CanaryDeleted, deleted));
      }
      return Optional.of(start(o, plan.get(), d));
    }
    return Optional.of(judge(o, plan.get(), o.canary().get()));
  }

  /** Removes the canary of a Hotfix that is past it (patched, rolling back, ended): it exists only before the patch. */
  void sweep(Observation o) {
    if (o.canary().isPresent() && !(o.phase() == Phase.RollingOut && !o.holdsTarget())) {
      writer.delete(o.canary().get());
    }
  }

  private Step start(Observation o, CanaryPlan plan, Deployment d) throws WriteConflict {
    int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    int pods = plan.podsFor(replicas);
    ReplicaSet created = writer.create(CanaryReplicaSet.of(d, o.spec().images(), pods, o.hotfix(), o.attempt()));
    String baseline = o.target().flatMap(DeploymentRevisions::current).map(DeploymentRevisions::hashOf).orElse(null);
    CanaryStatus canary = new CanaryStatus();
    canary.replicaSet = created.getMetadata().getName();
    canary.podTemplateHash = DeploymentRevisions.hashOf(created);
    canary.baselineHash = baseline;
    canary.pods = pods;
    canary.readyPods = 0;
    canary.startedAt = o.now().toString();
    return new Step(Phase.RollingOut, "canary started: " + pods + " pod(s) of " + Revisions.describe(o.spec().images())
        + " (ReplicaSet " + canary.replicaSet + ") beside Deployment " + d.getMetadata().getName() + "'s " + replicas
        + ", about " + CanaryPlan.share(pods, replicas) + " of requests; the Deployment is not changed until the "
        + "canary passes", s -> s.canary = canary, Optional.of(o.now().plus(o.spec().podReadyTimeout()))).noted();
  }

  private Step judge(Observation o, CanaryPlan plan, ReplicaSet rs) throws WriteConflict {
    CanaryStatus status = adopted(o, rs);
    String hash = DeploymentRevisions.hashOf(rs);
    Instant startedAt = Instants.parse(status.startedAt, o.now());
    RevisionUnderTest canary = new RevisionUnderTest(o.deployment().orElseThrow(), Optional.of(rs), o.podsOf(hash),
        startedAt, o.spec().progressDeadline(), o.spec().podReadyTimeout(), o.spec().maxRestarts(), o.now());
    Optional<Verdict> overBound = Exposure.exceeded(o);
    if (overBound.isPresent()) {
      return fail(o, status, overBound.get());
    }
    Measurement pods = podFaults.measure(canary);
    status.readyPods = (int) o.podsOf(hash).stream().filter(Readiness::isPodReady).count();
    if (pods.result() == Measurement.Result.FAIL) {
      return fail(o, status, Verdict.failed(podFaults.cause(), "canary " + pods.message()));
    }
    if (status.analysisStartedAt == null) {
      if (pods.result() != Measurement.Result.PASS) {
        Instant deadline = startedAt.plus(o.spec().progressDeadline());
        if (!o.now().isBefore(deadline)) {
          return fail(o, status, Verdict.failed(RollbackCause.Deadline, "canary not ready within progressDeadlineSeconds "
              + o.spec().progressDeadline().toSeconds() + ": " + status.readyPods + " of " + status.pods
              + " pods ready"));
        }
        return new Step(Phase.RollingOut, "canary: " + status.readyPods + " of " + status.pods + " pod(s) ready ("
            + pods.message() + ")", s -> s.canary = status,
            Instants.earliest(podFaults.recheckAt(canary), Optional.of(deadline)));
      }
      Instant now = o.now();
      status.analysisStartedAt = now.toString();
      status.analysisEndsAt = now.plus(plan.analysis()).toString();
      return new Step(Phase.RollingOut, "canary: all " + status.pods + " pod(s) ready; analysing for "
          + plan.analysis().toSeconds() + "s (until " + status.analysisEndsAt + ")", s -> s.canary = status,
          Optional.of(now)).noted();
    }
    return CanaryAnalysis.step(o, metricChecks, status, plan.analysis(), s -> s.canary = status,
        v -> fail(o, status, v), "rolling out to the Deployment");
  }

  /** The status of a canary found running: as recorded, or rebuilt when the status write after its creation was lost. */
  private static CanaryStatus adopted(Observation o, ReplicaSet rs) {
    CanaryStatus recorded = o.status().canary;
    if (recorded != null && rs.getMetadata().getName().equals(recorded.replicaSet)) {
      return copy(recorded);
    }
    CanaryStatus canary = new CanaryStatus();
    canary.replicaSet = rs.getMetadata().getName();
    canary.podTemplateHash = DeploymentRevisions.hashOf(rs);
    canary.baselineHash = o.target().flatMap(DeploymentRevisions::current).map(DeploymentRevisions::hashOf)
        .orElse(null);
    canary.pods = rs.getSpec().getReplicas();
    canary.startedAt = rs.getMetadata().getCreationTimestamp();
    return canary;
  }

  /**
   * A copy to edit: the observed status stays as stored, so that the status write can tell which
   * canary step it records (its Event) and a step not written is not taken as done.
   */
  static CanaryStatus copy(CanaryStatus recorded) {
    return KubernetesJson.SERIALIZATION.convertValue(recorded, CanaryStatus.class);
  }

  /**
   * A failed canary: the verdict and its reason are written first (still RollingOut, looked at
   * again at once), so that a lost status write cannot turn the removal into "deleted by someone
   * else"; the next pass removes it ({@link #removeFailed}).
   */
  private static Step fail(Observation o, CanaryStatus status, Verdict v) {
    status.verdict = CanaryVerdict.Failed;
    return new Step(Phase.RollingOut, "canary failed: " + v.message() + "; removing it", s -> s.canary = status,
        Optional.of(o.now())).rollingBackFor(v.cause(), v.message());
  }

  /** Removes a failed canary; the Deployment was never changed, so nothing else is undone. */
  private Step removeFailed(Observation o, CanaryStatus status) {
    if (o.canary().isPresent()) {
      writer.delete(o.canary().get());
      rollback.canaryRemoved(o);
    }
    // the cause and the reason were recorded with the verdict (fail)
    String reason = o.status().rollbackReason;
    return ended(o, status, reason != null ? reason : "verdict Failed recorded without a reason");
  }

  private static Step ended(Observation o, CanaryStatus recorded, String why) {
    CanaryStatus status = copy(recorded);
    status.verdict = CanaryVerdict.Failed;
    RevisionRecord previous = o.status().previous;
    String target = o.hotfix().getSpec().target.name;
    return Step.to(Phase.RolledBack, "canary failed: " + why + "; removed "
        + "canary ReplicaSet " + status.replicaSet + "; Deployment " + target + " was never changed and still runs "
        + "revision " + previous.revision + " (" + Revisions.describe(previous) + ")")
        .with(s -> s.canary = status);
  }
}
