package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.CanaryStatus;
import dev.hotfix.api.v1alpha1.CanaryVerdict;
import dev.hotfix.api.v1alpha1.ExposureStage;
import dev.hotfix.api.v1alpha1.ExposureStatus;
import dev.hotfix.api.v1alpha1.HotfixStatus;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.RollbackCause;
import dev.hotfix.api.v1alpha1.TargetKind;
import dev.hotfix.health.Instants;
import dev.hotfix.health.Verdict;
import dev.hotfix.report.IncidentReport;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The blast radius of a Hotfix ({@code status.exposure}): how many pods run its new images, the
 * most at once and the longest any ran before the verdict, against a declared bound: the
 * canary's pods while the canary is judged (a Deployment's canary ReplicaSet, a StatefulSet's
 * pods above the partition), else the replicas plus maxSurge. More
 * pods than the bound before the verdict (the canary ReplicaSet scaled by someone else, a second
 * writer creating pods of the new revision) is a fault with cause {@code exposure}.
 */
final class Exposure {
  /** The rollback cause when the bound is exceeded. */
  static final RollbackCause CAUSE = RollbackCause.Exposure;
  /** The phases in which pods of the new images may run because of this Hotfix. */
  /** Before the verdict: the figures still grow. */

  private Exposure() {
  }

  /**
   * Brings {@code s.exposure} up to date with observation {@code o}, once the step's own edits are
   * in {@code s} (its phase, canary verdict and applied revision). Changes a field only when a
   * count changes or the verdict falls, so a pod event that changes no count writes nothing.
   */
  static void record(HotfixStatus s, Observation o) {
    if (!o.phase().isActing()) {
      return;
    }
    ExposureStatus e = s.exposure == null ? new ExposureStatus() : s.exposure;
    List<Pod> pods = newRevisionPods(s, o);
    List<Pod> running = pods.stream().filter(Exposure::running).toList();
    Integer before = e.podsOnNewRevision;
    // RolledBack is reached only with the new pods gone or deleted in that very step (a removed canary)
    e.podsOnNewRevision = s.phase == Phase.RolledBack ? 0 : running.size();
    if (e.verdictAt == null) {
      declare(e, s, o);
      e.maxPodsOnNewRevision = Math.max(e.maxPodsOnNewRevision == null ? 0 : e.maxPodsOnNewRevision, running.size());
      pods.stream().map(p -> Instants.parse(p.getMetadata().getCreationTimestamp(), o.now())).min(Instant::compareTo)
          .filter(first -> e.firstPodCreatedAt == null || first.isBefore(Instant.parse(e.firstPodCreatedAt)))
          .ifPresent(first -> e.firstPodCreatedAt = first.toString());
      boolean verdict = (s.phase == null || !s.phase.isJudging()) || (s.canary != null && s.canary.verdict == CanaryVerdict.Failed);
      if (verdict || !Objects.equals(before, e.podsOnNewRevision)) {
        long longest = pods.stream().mapToLong(p -> ranSeconds(p, o.now())).max().orElse(0);
        e.longestExposureSeconds = Math.max(e.longestExposureSeconds == null ? 0 : e.longestExposureSeconds, longest);
      }
      if (verdict) {
        e.verdictAt = o.now().toString();
      }
    }
    s.exposure = e;
  }

  /**
   * Why the new images run on more pods than the bound allows before the verdict, as a failed
   * verdict; empty within the bound.
   */
  static Optional<Verdict> exceeded(Observation o) {
    HotfixStatus s = o.status();
    if (s.exposure != null && s.exposure.verdictAt != null) {
      return Optional.empty();
    }
    if (canaryStage(s, o) && o.targetKind() == TargetKind.StatefulSet) {
      return partitionExceeded(o, s.canary);
    }
    if (canaryStage(s, o)) {
      CanaryStatus canary = s.canary;
      if (canary == null || canary.pods == null || o.canary().isEmpty()) {
        return Optional.empty();
      }
      ReplicaSet rs = o.canary().get();
      int wanted = rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
      long running = o.podsOf(canary.podTemplateHash).stream().filter(Exposure::running).count();
      if (wanted > canary.pods || running > canary.pods) {
        return Optional.of(Verdict.failed(CAUSE, Math.max(wanted, running) + " pods of the new images, above the "
            + "bound of " + canary.pods + " (spec.rollout.canary.pods): canary ReplicaSet "
            + rs.getMetadata().getName() + " was scaled to " + wanted + " and runs " + running + " pod(s), "
            + "which the operator never asked for"));
      }
      return Optional.empty();
    }
    String hash = s.applied == null ? null : s.applied.podTemplateHash;
    if (hash == null || s.exposure == null || s.exposure.bound == null || s.exposure.stage != ExposureStage.Rollout) {
      return Optional.empty();
    }
    int bound = Math.max(s.exposure.bound, rolloutBound(o));
    long running = o.podsOf(hash).stream().filter(Exposure::running).count();
    if (running > bound) {
      return Optional.of(Verdict.failed(CAUSE, running + " pods of the new revision (pod-template-hash " + hash
          + "), above the bound of " + bound + " (" + IncidentReport.boundOf(ExposureStage.Rollout, o.targetKind())
          + "): someone else is "
          + "creating pods of the new revision"));
    }
    return Optional.empty();
  }

  /** A StatefulSet's canary: more pods on the new revision than the partition the operator wrote lets through. */
  private static Optional<Verdict> partitionExceeded(Observation o, CanaryStatus canary) {
    if (canary == null || canary.pods == null || canary.podTemplateHash == null) {
      return Optional.empty();
    }
    long running = o.podsOf(canary.podTemplateHash).stream().filter(Exposure::running).count();
    if (running <= canary.pods) {
      return Optional.empty();
    }
    int partition = PartitionCanary.partitionOf((StatefulSet) o.target().orElseThrow().workload());
    return Optional.of(Verdict.failed(CAUSE, running + " pods of the new revision, above the bound of "
        + canary.pods + " (spec.rollout.canary.pods): StatefulSet " + o.hotfix().getSpec().target.name
        + "'s partition is " + partition + ", not the " + canary.partition + " the operator wrote, so someone else "
        + "let the rollout past the canary before its verdict"));
  }

  private static void declare(ExposureStatus e, HotfixStatus s, Observation o) {
    if (canaryStage(s, o)) {
      e.stage = ExposureStage.Canary;
      e.bound = s.canary != null && s.canary.pods != null ? s.canary.pods
          : CanaryPlan.of(o.hotfix().getSpec()).orElseThrow().podsFor(replicas(o));
      return;
    }
    // the highest replicas seen in this stage: an HPA scaling down must not make the pods already there a fault
    int previous = e.stage == ExposureStage.Rollout && e.bound != null ? e.bound : 0;
    e.stage = ExposureStage.Rollout;
    e.bound = Math.max(previous, rolloutBound(o));
  }

  /** Before the canary's passing verdict (a failed canary stays in this stage: it is the verdict). */
  private static boolean canaryStage(HotfixStatus s, Observation o) {
    return CanaryPlan.of(o.hotfix().getSpec()).isPresent()
        && (s.canary == null || s.canary.verdict != CanaryVerdict.Passed);
  }

  /** The Deployment's replicas plus the Hotfix's maxSurge (a percentage rounded up, as the Deployment controller does). */
  static int rolloutBound(Observation o) {
    int replicas = replicas(o);
    if (o.targetKind() == TargetKind.StatefulSet) {
      return replicas; // replaced in place: never more pods than replicas
    }
    IntOrString surge = o.spec().maxSurge();
    int extra = surge.getIntVal() != null ? surge.getIntVal()
        : (int) Math.ceil(replicas * Integer.parseInt(surge.getStrVal().replace("%", "").trim()) / 100.0);
    return replicas + extra;
  }

  private static int replicas(Observation o) {
    return o.deployment().map(d -> d.getSpec().getReplicas()).orElse(1);
  }

  /** The pods of the canary and of the Deployment's new ReplicaSet, terminating ones included. */
  private static List<Pod> newRevisionPods(HotfixStatus s, Observation o) {
    List<Pod> pods = new ArrayList<>();
    if (s.canary != null && s.canary.podTemplateHash != null) {
      pods.addAll(o.podsOf(s.canary.podTemplateHash));
    }
    // a StatefulSet's canary pods are its new revision's: counted once
    if (s.applied != null && s.applied.podTemplateHash != null && (s.canary == null
        || !s.applied.podTemplateHash.equals(s.canary.podTemplateHash))) {
      pods.addAll(o.podsOf(s.applied.podTemplateHash));
    }
    return pods;
  }

  /** Not being deleted and not finished (an evicted pod stays Failed; its replacement is the one that runs). */
  private static boolean running(Pod p) {
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    return p.getMetadata().getDeletionTimestamp() == null && !"Succeeded".equals(phase) && !"Failed".equals(phase);
  }

  /** From the pod's creation to its deletion, or to {@code now} while it runs. */
  private static long ranSeconds(Pod p, Instant now) {
    Instant created = Instants.parse(p.getMetadata().getCreationTimestamp(), now);
    Instant end = p.getMetadata().getDeletionTimestamp() == null ? now
        : Instants.parse(p.getMetadata().getDeletionTimestamp(), now);
    Duration d = Duration.between(created, end.isAfter(now) ? now : end);
    return d.isNegative() ? 0 : d.toSeconds();
  }
}
