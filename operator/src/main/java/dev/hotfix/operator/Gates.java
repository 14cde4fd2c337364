package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.ReleaseRecord;
import dev.hotfix.api.v1alpha1.RevisionRecord;
import dev.hotfix.health.HealthCheck;
import dev.hotfix.health.Measurement;
import dev.hotfix.health.PodFaults;
import dev.hotfix.health.RevisionUnderTest;
import dev.hotfix.health.RolloutProgress;
import dev.hotfix.health.Verdict;
import dev.hotfix.rollout.DeploymentRevisions;
import dev.hotfix.rollout.HotfixAnnotations;
import dev.hotfix.rollout.ImageIntent;
import dev.hotfix.rollout.PodTemplates;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The judgements the active phases share: health, other writers, failure. The release of the
 * Deployment is not among them: a deciding step only records it ({@code status.release}) and the
 * {@link Finisher} carries it out once the terminal phase is stored.
 */
final class Gates {
  private final List<HealthCheck> checks = List.of(new PodFaults(), new RolloutProgress());
  private final MetricChecks metricChecks;
  private final VerificationMetrics metrics;

  Gates(MetricChecks metricChecks, VerificationMetrics metrics) {
    this.metricChecks = metricChecks;
    this.metrics = metrics;
  }

  /**
   * Measures one revision with the cluster's own checks (pods, rollout): the first FAIL fails
   * it at once; anything not yet decided waits until an event or the earliest recheck.
   */
  Verdict judge(RevisionUnderTest revision) {
    Optional<Instant> recheck = Optional.empty();
    String waiting = null;
    for (HealthCheck check : checks) {
      Measurement m = check.measure(revision);
      if (m.result() == Measurement.Result.FAIL) {
        return Verdict.failed(check.cause(), m.message());
      }
      if (m.result() != Measurement.Result.PASS) {
        waiting = waiting == null ? m.message() : waiting;
        recheck = earliest(recheck, check.recheckAt(revision));
      }
    }
    return waiting == null ? Verdict.healthy("healthy") : Verdict.pending(waiting, recheck);
  }

  /**
   * Measures the Hotfix's metric checks that are due (RollingOut and Verifying); the round
   * carries the tallies to store, the first decisive failure, and when the next check is due.
   */
  MetricChecks.Round measure(Observation o) {
    return metricChecks.run(o);
  }

  /**
   * A failed canary was removed: for a canary that is the whole rollback (the Deployment never
   * changed), so it ends the detection-to-rollback measurement.
   */
  void canaryRemoved(Observation o) {
    metrics.faultDetected(o.hotfix().getMetadata().getUid(), o.now());
    metrics.rollbackPatched(o.hotfix().getMetadata().getUid());
  }

  /** The rollback patch is on the Deployment: ends the detection-to-rollback measurement. */
  void rollbackPatched(Observation o) {
    metrics.rollbackPatched(o.hotfix().getMetadata().getUid());
  }

  /**
   * A step to Superseded when someone else changed the Deployment's pod template since the
   * Hotfix applied its own (a person, Argo CD self-heal, Flux): the operator steps aside and
   * never writes again.
   */
  Optional<Step> supersededBy(Observation o, Map<String, String> expectedImages) {
    Deployment d = o.deployment().orElseThrow();
    if (!o.holdsTarget()) {
      return Optional.of(Step.to(Phase.Superseded, o.targetKind() + " " + d.getMetadata().getName() + " was rewritten by "
          + "someone else (the " + HotfixAnnotations.ACTIVE + " annotation is gone" + changedImages(o, expectedImages)
          + "): stepping aside without touching it again"));
    }
    boolean imagesChanged = !ImageIntent.allOurs(expectedImages, o.targetImages());
    boolean templateChanged = appliedReplicaSet(o)
        .map(rs -> !PodTemplates.equalIgnoringHash(rs.getSpec().getTemplate(), d.getSpec().getTemplate()))
        .orElse(false);
    if (imagesChanged || templateChanged) {
      return Optional.of(Step.to(Phase.Superseded, o.targetKind() + " " + d.getMetadata().getName() + "'s pod template was "
          + "changed by someone else" + changedImages(o, expectedImages) + ": stepping aside without touching it "
          + "again"));
    }
    return Optional.empty();
  }

  /** A check failed: roll back, or stop in Failed when automatic rollback is off. */
  Step failure(Observation o, Verdict v) {
    if (o.spec().automaticRollback() && rollbackTarget(o).isEmpty()) {
      return noSafeRollback(o, v.message());
    }
    if (o.spec().automaticRollback()) {
      metrics.faultDetected(o.hotfix().getMetadata().getUid(), o.now());
      return Step.to(Phase.RollingBack, "rolling back: " + v.message()).rollingBackFor(v.cause(), v.message());
    }
    return released(Step.to(Phase.Failed, v.message() + "; automatic rollback is off (spec.rollback.automatic: "
        + "false), so the new revision stays in place for a human to decide"), Optional.empty());
  }

  /**
   * A rollback is due but there is nothing healthy to go back to: the replaced revision was
   * already failing and no revision is known good. Rolling back would restore the outage and
   * call it success, so the Hotfix stops in Failed (which alerts) and leaves the Deployment as it is.
   */
  Step noSafeRollback(Observation o, String why) {
    RevisionRecord previous = o.status().previous;
    String target = o.hotfix().getSpec().target.name;
    return released(Step.to(Phase.Failed, why + "; NOT rolled back: the previous revision " + previous.revision + " ("
        + Revisions.describe(previous) + ") was already broken before this Hotfix (" + previous.failing + ") and no "
        + "revision is known good, so a rollback would restore an outage; " + o.targetKind() + " " + target + " is left on "
        + Revisions.describe(o.targetImages()) + " (its owner's rollout strategy restored) for a human to fix"),
        Optional.empty());
  }

  /**
   * What a rollback restores: the replaced revision when it was healthy, else the last revision
   * known good; empty when the replaced revision was failing and none is known good.
   */
  static Optional<RevisionRecord> rollbackTarget(Observation o) {
    RevisionRecord previous = o.status().previous;
    // whether it was failing, and what else is good, as recorded on the Deployment: status alone must not steer
    boolean failing = o.recordedPrevious().map(r -> r.failing != null).orElse(previous.failing != null);
    return failing ? o.recordedRollbackTarget() : Optional.of(previous);
  }

  /**
   * {@code terminal}, recording that the Deployment goes back to its owner once that phase is
   * stored ({@link Finisher}); with the hash of the revision the Hotfix ends on and saw healthy,
   * recorded as the last known good.
   */
  static Step released(Step terminal, Optional<String> healthyHash) {
    return terminal.with(s -> s.release = new ReleaseRecord(healthyHash.orElse(null)));
  }

  /**
   * The images the Hotfix put on the Deployment, as recorded when it patched (the spec's images
   * cannot change, but the record is what was actually written).
   */
  static Map<String, String> expectedImages(Observation o) {
    RevisionRecord applied = o.status().applied;
    return applied == null || applied.images == null ? o.spec().images() : Revisions.imagesOf(applied);
  }

  /** The ReplicaSet of the revision the Hotfix applied, once the controller created it. */
  static Optional<ReplicaSet> appliedReplicaSet(Observation o) {
    RevisionRecord applied = o.status().applied;
    if (applied == null || applied.podTemplateHash == null) {
      return Optional.empty();
    }
    return o.target().flatMap(t -> t.byHash(applied.podTemplateHash));
  }

  /** The revision under test for the pods of one ReplicaSet. */
  static RevisionUnderTest revision(Observation o, String podTemplateHash, Instant startedAt) {
    return new RevisionUnderTest(o.deployment().orElseThrow(), o.target().flatMap(t -> t.byHash(podTemplateHash)),
        o.podsOf(podTemplateHash), startedAt,
        o.spec().progressDeadline(), o.spec().podReadyTimeout(), o.spec().maxRestarts(), o.now(),
        o.target().orElseThrow().workload());
  }

  static Optional<Instant> earliest(Optional<Instant> a, Optional<Instant> b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    return Optional.of(a.get().isBefore(b.get()) ? a.get() : b.get());
  }

  static Instant parse(String time, Instant fallback) {
    return time == null ? fallback : Instant.parse(time);
  }

  private static String changedImages(Observation o, Map<String, String> expected) {
    Map<String, String> now = o.targetImages();
    StringBuilder sb = new StringBuilder();
    expected.forEach((c, image) -> {
      if (!ImageIntent.isOurs(image, now.get(c))) {
        sb.append("; container ").append(c).append(" now runs ").append(now.get(c)).append(", expected ")
            .append(image);
      }
    });
    return sb.toString();
  }

  static String revisionLabel(ReplicaSet rs) {
    return "revision " + DeploymentRevisions.revisionOf(rs) + " (" + DeploymentRevisions.holderKind(rs) + " "
        + rs.getMetadata().getName() + ")";
  }
}
