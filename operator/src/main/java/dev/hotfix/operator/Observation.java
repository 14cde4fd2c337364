package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixStatus;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.RevisionRecord;
import dev.hotfix.api.v1alpha1.TargetKind;
import dev.hotfix.health.RevisionUnderTest;
import dev.hotfix.json.KubernetesJson;
import dev.hotfix.rollout.DeploymentRevisions;
import dev.hotfix.rollout.HotfixAnnotations;
import dev.hotfix.rollout.PodTemplates;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a phase handler may look at, read once from the informer caches: the Hotfix, its
 * target with the ReplicaSets and pods it controls, the other Hotfixes on the same target.
 *
 * @param hotfix the Hotfix being reconciled
 * @param spec its spec with defaults
 * @param target the Deployment and its ReplicaSets, empty when the Deployment does not exist
 * @param pods the pods of the target's ReplicaSets
 * @param rivals other Hotfixes in the namespace that name the same target
 * @param now the time of this observation
 * @param canary the Hotfix's canary ReplicaSet ({@code spec.rollout.canary}), while it exists
 */
public record Observation(Hotfix hotfix, EffectiveSpec spec, Optional<DeploymentRevisions> target, List<Pod> pods,
    List<Hotfix> rivals, Instant now, Optional<ReplicaSet> canary) {

  /** An observation of a Hotfix without a canary ReplicaSet. */
  public Observation(Hotfix hotfix, EffectiveSpec spec, Optional<DeploymentRevisions> target, List<Pod> pods,
      List<Hotfix> rivals, Instant now) {
    this(hotfix, spec, target, pods, rivals, now, Optional.empty());
  }

  public HotfixStatus status() {
    return hotfix.getStatus() == null ? new HotfixStatus() : hotfix.getStatus();
  }

  public Phase phase() {
    return status().phase == null ? Phase.Pending : status().phase;
  }

  public String name() {
    return hotfix.getMetadata().getName();
  }

  /** The kind of workload the Hotfix targets. */
  public TargetKind targetKind() {
    return TargetKind.of(hotfix.getSpec().target);
  }

  public Optional<Deployment> deployment() {
    return target.map(DeploymentRevisions::deployment);
  }

  /** The pods of one revision (by pod-template-hash), terminating ones excluded. */
  public List<Pod> podsOf(String podTemplateHash) {
    return pods.stream()
        .filter(p -> p.getMetadata().getLabels() != null
            && podTemplateHash != null && podTemplateHash.equals(p.getMetadata().getLabels().get(PodTemplates.HASH_LABEL)))
        .toList();
  }

  /** The Hotfix named as holder by the Deployment's {@link HotfixAnnotations#ACTIVE} annotation, if any. */
  public Optional<String> holder() {
    return deployment().map(d -> d.getMetadata().getAnnotations()).map(a -> a.get(HotfixAnnotations.ACTIVE));
  }

  /**
   * The revision the holder replaced, as the operator wrote it on the Deployment in the same patch
   * as the new images ({@link HotfixAnnotations#PREVIOUS_REVISION}); empty when absent or unreadable.
   * Status can be written by others; this record is what a rollback is checked against.
   */
  public Optional<RevisionRecord> recordedPrevious() {
    return recorded(HotfixAnnotations.PREVIOUS_REVISION);
  }

  /**
   * The last revision known good, as the operator wrote it on the Deployment with the lock when the
   * replaced revision was already failing ({@link HotfixAnnotations#ROLLBACK_TARGET}).
   */
  public Optional<RevisionRecord> recordedRollbackTarget() {
    return recorded(HotfixAnnotations.ROLLBACK_TARGET);
  }

  private Optional<RevisionRecord> recorded(String annotation) {
    Optional<String> json = deployment().map(d -> d.getMetadata().getAnnotations()).map(a -> a.get(annotation));
    try {
      return json.map(j -> KubernetesJson.SERIALIZATION.unmarshal(j, RevisionRecord.class));
    } catch (RuntimeException unreadable) {
      return Optional.empty();
    }
  }

  /**
   * Whether this attempt of this Hotfix holds the Deployment: the lock names it and carries its
   * attempt token. A lock copied back from a ReplicaSet (by {@code kubectl rollout undo}) names an
   * attempt that ended, even when a new Hotfix reuses the name.
   */
  public boolean holdsTarget() {
    return holder().filter(name()::equals).isPresent() && lockToken().filter(attempt()::equals).isPresent();
  }

  /**
   * Whether the rival {@code h} ended and recorded a release ({@code status.release}) that its
   * finisher has not carried out yet: the Deployment still names its attempt, so it still holds it.
   */
  public boolean awaitsRelease(Hotfix h) {
    return PendingHandler.phaseOf(h).isTerminal() && h.getStatus().release != null
        && holder().filter(h.getMetadata().getName()::equals).isPresent()
        && lockToken().filter(attemptOf(h)::equals).isPresent();
  }

  /** This attempt's token for the {@link HotfixAnnotations#ATTEMPT} annotation: uid and start time. */
  public String attempt() {
    return attemptOf(hotfix);
  }

  /** The attempt token of any Hotfix (a rival's, to tell whether a lock naming it is really its). */
  public static String attemptOf(Hotfix h) {
    return attemptOf(h, h.getStatus() == null ? null : h.getStatus().startedAt);
  }

  /** The attempt token of {@code h} once its status says it started at {@code startedAt}. */
  public static String attemptOf(Hotfix h, String startedAt) {
    return h.getMetadata().getUid() + "/" + startedAt;
  }

  /** The attempt token on the Deployment's lock, if any. */
  public Optional<String> lockToken() {
    return deployment().map(d -> d.getMetadata().getAnnotations()).map(a -> a.get(HotfixAnnotations.ATTEMPT));
  }

  /** The target's current container images (empty when it does not exist). */
  public Map<String, String> targetImages() {
    return deployment().map(d -> PodTemplates.images(d.getSpec().getTemplate())).orElse(Map.of());
  }

  /** The revision of {@code podTemplateHash} with its pods, to judge as rolled out since {@code startedAt}. */
  RevisionUnderTest revisionUnderTest(String podTemplateHash, Instant startedAt) {
    return new RevisionUnderTest(deployment().orElseThrow(), target().flatMap(t -> t.byHash(podTemplateHash)),
        podsOf(podTemplateHash), startedAt, spec().progressDeadline(), spec().podReadyTimeout(), spec().maxRestarts(),
        now(), target().orElseThrow().workload());
  }
}
