package dev.hotfix.sandbox.cluster;

import dev.hotfix.notify.EventRecorder;
import dev.hotfix.sandbox.Informers;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The sandbox's Deployment controller, following kube-controller-manager's: one ReplicaSet per
 * pod template, revisions, rolling and recreate rollouts within maxSurge/maxUnavailable,
 * proportional scaling, pause, history pruning, and the status and conditions that
 * {@code kubectl rollout status} and an operator judge a rollout by.
 *
 * <p>Driven by the shared informers: a Deployment is synced when it or anything it owns changes,
 * and again when its progress deadline falls due. Each sync reads only the informer caches and
 * makes at most a few writes; a write that meets a newer object (409) fails the sync, which the
 * queue retries after the cache has caught up.
 */
final class DeploymentController implements AutoCloseable {

  /** The pause before re-syncing a Deployment whose deadline is due now. */
  private static final Duration RESYNC_AT_DEADLINE = Duration.ofMillis(100);

  private final KubernetesClient client;
  private final SharedIndexInformer<Deployment> deployments;
  private final SharedIndexInformer<ReplicaSet> replicaSets;
  private final SharedIndexInformer<Pod> pods;
  private final RolloutWrites writes;
  private final NewReplicaSets newReplicaSets;
  private final RollingUpdate rollingUpdate;
  private final WorkQueue queue;

  DeploymentController(
      KubernetesClient client,
      SharedIndexInformer<Deployment> deployments,
      SharedIndexInformer<ReplicaSet> replicaSets,
      SharedIndexInformer<Pod> pods,
      EventRecorder events,
      int workers) {
    this.client = client;
    this.deployments = deployments;
    this.replicaSets = replicaSets;
    this.pods = pods;
    this.writes = new RolloutWrites(client, events);
    this.newReplicaSets = new NewReplicaSets(client, writes);
    this.rollingUpdate = new RollingUpdate(writes);
    this.queue = new WorkQueue("deployment-controller", workers, this::sync);
    deployments.addEventHandler(Informers.onAny(d -> queue.add(ControllerRefs.keyOf(d))));
    replicaSets.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(ReplicaSet rs) {
            enqueueOwner(rs);
          }

          @Override
          public void onUpdate(ReplicaSet before, ReplicaSet after) {
            enqueueOwner(after);
            if (!Objects.equals(ControllerRefs.controllerOf(before), ControllerRefs.controllerOf(after))) {
              enqueueOwner(before);
            }
          }

          @Override
          public void onDelete(ReplicaSet rs, boolean finalStateUnknown) {
            enqueueOwner(rs);
          }
        });
    pods.addEventHandler(Informers.onDelete(this::podDeleted));
  }

  /** Starts the workers; the informers are started by the caller. */
  void start() {
    queue.start();
  }

  @Override
  public void close() {
    queue.close();
  }

  private void enqueueOwner(ReplicaSet rs) {
    ownerOf(rs).ifPresent(d -> queue.add(ControllerRefs.keyOf(d)));
  }

  /** A Recreate rollout waits for old pods to be gone, so their deletion is news to it. */
  private void podDeleted(Pod pod) {
    ControllerRefs.controllerOf(pod, "ReplicaSet")
        .map(ref -> replicaSets.getIndexer().getByKey(ControllerRefs.keyOf(pod, ref)))
        .flatMap(this::ownerOf)
        .filter(d -> !DeploymentSpecs.isRollingUpdate(d))
        .ifPresent(d -> queue.add(ControllerRefs.keyOf(d)));
  }

  /** The Deployment in the cache that controls a ReplicaSet, if its uid still matches. */
  private Optional<Deployment> ownerOf(ReplicaSet rs) {
    if (rs == null) {
      return Optional.empty();
    }
    return ControllerRefs.controllerOf(rs, "Deployment")
        .flatMap(
            ref ->
                Optional.ofNullable(deployments.getIndexer().getByKey(ControllerRefs.keyOf(rs, ref)))
                    .filter(d -> ref.getUid().equals(d.getMetadata().getUid())));
  }

  // ---- sync: upstream's syncDeployment ----

  private void sync(String key) {
    Deployment cached = deployments.getIndexer().getByKey(key);
    if (cached == null) {
      return; // deleted: the garbage collector removes what it owned
    }
    LabelSelector selector = cached.getSpec().getSelector();
    if (selector == null
        || (isEmpty(selector.getMatchLabels()) && isEmpty(selector.getMatchExpressions()))) {
      return; // upstream refuses to act on a selector that selects everything
    }
    Rollout rollout = new Rollout(client.getKubernetesSerialization().clone(cached), ownedReplicaSets(cached));
    boolean deleting = cached.getMetadata().getDeletionTimestamp() != null;
    if (!deleting && updatePausedCondition(rollout)) {
      return; // the status write brings this Deployment back with the new condition
    }
    newReplicaSets.find(rollout);
    if (deleting) {
      writes.writeStatusIfChanged(
          rollout, DeploymentStatuses.calculate(rollout.deployment, rollout.all(), rollout.newRS, Instant.now()));
    } else if (DeploymentSpecs.isPaused(cached) || isScalingEvent(rollout)) {
      syncScaling(rollout);
    } else if (DeploymentSpecs.isRollingUpdate(cached)) {
      rolloutRolling(rollout);
    } else {
      rolloutRecreate(rollout);
    }
  }

  private List<ReplicaSet> ownedReplicaSets(Deployment d) {
    return replicaSets.getIndexer().byIndex(ControllerRefs.BY_CONTROLLER_UID, d.getMetadata().getUid());
  }

  /** Records pause and resume in Progressing (unless the deadline already passed). */
  private boolean updatePausedCondition(Rollout rollout) {
    Deployment d = rollout.deployment;
    if (!DeploymentSpecs.hasProgressDeadline(d)) {
      return false;
    }
    Optional<DeploymentCondition> cond =
        DeploymentConditions.get(d.getStatus(), DeploymentConditions.PROGRESSING);
    if (cond.isPresent() && DeploymentConditions.TIMED_OUT.equals(cond.get().getReason())) {
      return false;
    }
    boolean pausedRecorded = cond.isPresent() && DeploymentConditions.PAUSED.equals(cond.get().getReason());
    boolean paused = DeploymentSpecs.isPaused(d);
    if (paused == pausedRecorded) {
      return false;
    }
    writes.setProgressing(
        rollout,
        "Unknown",
        paused ? DeploymentConditions.PAUSED : DeploymentConditions.RESUMED,
        paused ? "Deployment is paused" : "Deployment is resumed");
    return true;
  }

  /** A scaling event: an active ReplicaSet was sized for a different replica count. */
  private boolean isScalingEvent(Rollout rollout) {
    int replicas = DeploymentSpecs.replicas(rollout.deployment);
    for (ReplicaSet rs : rollout.all()) {
      if (ReplicaSets.isActive(rs)) {
        int desired = RevisionAnnotations.intValue(rs.getMetadata().getAnnotations(), RevisionAnnotations.DESIRED_REPLICAS);
        if (desired >= 0 && desired != replicas) {
          return true;
        }
      }
    }
    return false;
  }

  // ---- upstream's sync + scale: paused Deployments and scaling events ----

  private void syncScaling(Rollout rollout) {
    scale(rollout);
    if (DeploymentSpecs.isPaused(rollout.deployment)) {
      cleanupOldReplicaSets(rollout);
    }
    writes.writeStatusIfChanged(
        rollout, DeploymentStatuses.calculate(rollout.deployment, rollout.all(), rollout.newRS, Instant.now()));
  }

  private void scale(Rollout rollout) {
    ProportionalScaling.resizes(rollout.deployment, rollout.newRS, rollout.old)
        .forEach((rs, size) -> writes.scaleReplicaSet(rollout, rollout.current(rs), size));
  }

  // ---- rollouts ----

  private void rolloutRolling(Rollout rollout) {
    newReplicaSets.createIfMissing(rollout);
    if (rollingUpdate.step(rollout)) {
      syncRolloutStatus(rollout);
      return;
    }
    if (DeploymentStatuses.isComplete(rollout.deployment, rollout.deployment.getStatus())) {
      cleanupOldReplicaSets(rollout);
    }
    syncRolloutStatus(rollout);
  }

  private void rolloutRecreate(Rollout rollout) {
    boolean scaledDown = false;
    for (ReplicaSet old : List.copyOf(rollout.old)) {
      if (ReplicaSets.isActive(old)) {
        scaledDown |= writes.scaleReplicaSet(rollout, old, 0);
      }
    }
    if (scaledDown || oldPodsRunning(rollout)) {
      syncRolloutStatus(rollout);
      return;
    }
    newReplicaSets.createIfMissing(rollout);
    writes.scaleReplicaSet(rollout, rollout.newRS, DeploymentSpecs.replicas(rollout.deployment));
    if (DeploymentStatuses.isComplete(rollout.deployment, rollout.deployment.getStatus())) {
      cleanupOldReplicaSets(rollout);
    }
    syncRolloutStatus(rollout);
  }

  private boolean oldPodsRunning(Rollout rollout) {
    Map<String, List<Pod>> podsByReplicaSet = new HashMap<>();
    for (ReplicaSet old : rollout.old) {
      String uid = old.getMetadata().getUid();
      podsByReplicaSet.put(uid, pods.getIndexer().byIndex(ControllerRefs.BY_CONTROLLER_UID, uid));
    }
    return oldPodsRunning(rollout.newRS, rollout.old, podsByReplicaSet);
  }

  /**
   * Upstream's oldPodsRunning: a Recreate rollout waits while an old ReplicaSet reports pods, or
   * any pod of a ReplicaSet other than the new one is not yet Failed or Succeeded (Unknown and
   * Pending count as running).
   */
  static boolean oldPodsRunning(ReplicaSet newRS, List<ReplicaSet> old, Map<String, List<Pod>> podsByReplicaSet) {
    if (ReplicaSets.sum(old, ReplicaSets::observed) > 0) {
      return true;
    }
    String newUid = newRS == null ? null : newRS.getMetadata().getUid();
    for (Map.Entry<String, List<Pod>> e : podsByReplicaSet.entrySet()) {
      if (e.getKey().equals(newUid)) {
        continue;
      }
      for (Pod pod : e.getValue()) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if (!"Failed".equals(phase) && !"Succeeded".equals(phase)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Deletes the oldest scaled-down ReplicaSets beyond revisionHistoryLimit. */
  private void cleanupOldReplicaSets(Rollout rollout) {
    RevisionHistory.beyondLimit(rollout.deployment, rollout.old).forEach(writes::delete);
  }

  // ---- status ----

  /** Upstream's syncRolloutStatus: write the rollout status, or wait for the deadline. */
  private void syncRolloutStatus(Rollout rollout) {
    Instant now = Instant.now();
    Deployment d = rollout.deployment;
    DeploymentStatus status = DeploymentStatuses.rollout(d, rollout.all(), rollout.newRS, now);
    if (SemanticEquality.same(status, d.getStatus())) {
      // as upstream: a second past the deadline (timestamps have whole seconds and "before" is
      // strict), or at once when it is that close; "at once" waits a moment so as not to spin
      DeploymentStatuses.requeueStuckDeployment(d, status, now)
          .map(after -> after.isZero() ? RESYNC_AT_DEADLINE : after.plusSeconds(1))
          .ifPresent(after -> queue.addAfter(ControllerRefs.keyOf(d), after));
      return;
    }
    writes.writeStatus(rollout, status);
  }

  private static boolean isEmpty(Map<?, ?> map) {
    return map == null || map.isEmpty();
  }

  private static boolean isEmpty(List<?> list) {
    return list == null || list.isEmpty();
  }
}
