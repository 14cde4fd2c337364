package dev.hotfix.sandbox.cluster;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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

  private final KubernetesClient client;
  private final SharedIndexInformer<Deployment> deployments;
  private final SharedIndexInformer<ReplicaSet> replicaSets;
  private final SharedIndexInformer<Pod> pods;
  private final WorkQueue queue;

  DeploymentController(
      KubernetesClient client,
      SharedIndexInformer<Deployment> deployments,
      SharedIndexInformer<ReplicaSet> replicaSets,
      SharedIndexInformer<Pod> pods,
      int workers) {
    this.client = client;
    this.deployments = deployments;
    this.replicaSets = replicaSets;
    this.pods = pods;
    this.queue = new WorkQueue("deployment-controller", workers, this::sync);
    deployments.addEventHandler(Handlers.onAny(d -> queue.add(ControllerRefs.keyOf(d))));
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
    pods.addEventHandler(Handlers.onDelete(this::podDeleted));
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
    Deployment d = rollout.deployment;
    if (d.getMetadata().getDeletionTimestamp() == null && updatePausedCondition(rollout)) {
      return; // the status write brings this Deployment back with the new condition
    }
    rollout.findReplicaSets();
    if (d.getMetadata().getDeletionTimestamp() != null) {
      writeStatusIfChanged(rollout, DeploymentStatuses.calculate(d, rollout.all(), rollout.newRS, Instant.now()));
    } else if (DeploymentSpecs.isPaused(d) || isScalingEvent(rollout)) {
      syncScaling(rollout);
    } else if (DeploymentSpecs.isRollingUpdate(d)) {
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
    DeploymentStatus status = statusOf(d);
    DeploymentConditions.set(
        status,
        DeploymentConditions.create(
            DeploymentConditions.PROGRESSING,
            "Unknown",
            paused ? DeploymentConditions.PAUSED : DeploymentConditions.RESUMED,
            paused ? "Deployment is paused" : "Deployment is resumed",
            Instant.now()));
    writeStatus(rollout, status);
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
    writeStatusIfChanged(
        rollout, DeploymentStatuses.calculate(rollout.deployment, rollout.all(), rollout.newRS, Instant.now()));
  }

  private void scale(Rollout rollout) {
    Deployment d = rollout.deployment;
    int replicas = DeploymentSpecs.replicas(d);
    ReplicaSet activeOrLatest = activeOrLatest(rollout);
    if (activeOrLatest != null) {
      if (ReplicaSets.desired(activeOrLatest) != replicas) {
        scaleReplicaSet(rollout, activeOrLatest, replicas);
      }
      return;
    }
    if (isSaturated(d, rollout.newRS)) {
      for (ReplicaSet old : List.copyOf(rollout.old)) {
        if (ReplicaSets.isActive(old)) {
          scaleReplicaSet(rollout, old, 0);
        }
      }
      return;
    }
    if (DeploymentSpecs.isRollingUpdate(d)) {
      List<ReplicaSet> active = rollout.all().stream().filter(ReplicaSets::isActive).toList();
      Map<String, Integer> sizes = ProportionalScaling.newSizes(d, active);
      for (ReplicaSet rs : active) {
        scaleReplicaSet(rollout, rs, sizes.get(rs.getMetadata().getName()));
      }
    }
  }

  /** The only active ReplicaSet, or the newest when none is active; null when several are. */
  private static ReplicaSet activeOrLatest(Rollout rollout) {
    List<ReplicaSet> active = rollout.all().stream().filter(ReplicaSets::isActive).toList();
    if (active.size() == 1) {
      return active.get(0);
    }
    if (!active.isEmpty()) {
      return null;
    }
    if (rollout.newRS != null) {
      return rollout.newRS;
    }
    return rollout.old.stream().max(ReplicaSets.OLDEST_FIRST).orElse(null);
  }

  private static boolean isSaturated(Deployment d, ReplicaSet rs) {
    if (rs == null) {
      return false;
    }
    int replicas = DeploymentSpecs.replicas(d);
    int desiredAnnotation =
        RevisionAnnotations.intValue(rs.getMetadata().getAnnotations(), RevisionAnnotations.DESIRED_REPLICAS);
    return ReplicaSets.desired(rs) == replicas
        && desiredAnnotation == replicas
        && ReplicaSets.available(rs) == replicas;
  }

  // ---- rollouts ----

  private void rolloutRolling(Rollout rollout) {
    rollout.createNewReplicaSetIfMissing();
    if (reconcileNewReplicaSet(rollout) || reconcileOldReplicaSets(rollout)) {
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
        scaledDown |= scaleReplicaSet(rollout, old, 0);
      }
    }
    if (scaledDown || oldPodsRunning(rollout)) {
      syncRolloutStatus(rollout);
      return;
    }
    rollout.createNewReplicaSetIfMissing();
    scaleReplicaSet(rollout, rollout.newRS, DeploymentSpecs.replicas(rollout.deployment));
    if (DeploymentStatuses.isComplete(rollout.deployment, rollout.deployment.getStatus())) {
      cleanupOldReplicaSets(rollout);
    }
    syncRolloutStatus(rollout);
  }

  private boolean oldPodsRunning(Rollout rollout) {
    if (ReplicaSets.sum(rollout.old, ReplicaSets::observed) > 0) {
      return true;
    }
    for (ReplicaSet old : rollout.old) {
      for (Pod pod : pods.getIndexer().byIndex(ControllerRefs.BY_CONTROLLER_UID, old.getMetadata().getUid())) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if (!"Failed".equals(phase) && !"Succeeded".equals(phase)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Scales the new ReplicaSet towards replicas within maxSurge; true if it changed. */
  private boolean reconcileNewReplicaSet(Rollout rollout) {
    int replicas = DeploymentSpecs.replicas(rollout.deployment);
    int current = ReplicaSets.desired(rollout.newRS);
    if (current == replicas) {
      return false;
    }
    if (current > replicas) {
      return scaleReplicaSet(rollout, rollout.newRS, replicas);
    }
    return scaleReplicaSet(rollout, rollout.newRS, newReplicaSetSize(rollout.deployment, rollout.all(), rollout.newRS));
  }

  /**
   * Upstream's NewRSNewReplicas. The pods already present are counted conservatively (a
   * ReplicaSet being scaled down counts its observed pods until they are gone), so the
   * number of pods never exceeds replicas + maxSurge, not just the sum of spec.replicas.
   */
  private static int newReplicaSetSize(Deployment d, List<ReplicaSet> all, ReplicaSet newRS) {
    int replicas = DeploymentSpecs.replicas(d);
    if (!DeploymentSpecs.isRollingUpdate(d)) {
      return replicas;
    }
    int current = ReplicaSets.desired(newRS);
    int podCount = 0;
    for (ReplicaSet rs : all) {
      podCount += rs == newRS ? current : ReplicaSets.podsAtMost(rs);
    }
    int maxTotal = replicas + DeploymentSpecs.maxSurge(d);
    if (podCount >= maxTotal) {
      return current;
    }
    return current + Math.max(0, Math.min(maxTotal - podCount, replicas - current));
  }

  /**
   * Upstream's reconcileOldReplicaSets: first drop unhealthy old replicas, then available ones,
   * never below replicas - maxUnavailable available pods.
   */
  private boolean reconcileOldReplicaSets(Rollout rollout) {
    Deployment d = rollout.deployment;
    if (ReplicaSets.sum(rollout.old, ReplicaSets::desired) == 0) {
      return false;
    }
    int minAvailable = DeploymentSpecs.replicas(d) - DeploymentSpecs.maxUnavailable(d);
    int newUnavailable = ReplicaSets.desired(rollout.newRS) - ReplicaSets.available(rollout.newRS);
    int maxScaledDown = ReplicaSets.sum(rollout.all(), ReplicaSets::desired) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) {
      return false;
    }
    int cleaned = cleanupUnhealthyReplicas(rollout, maxScaledDown);
    int scaledDown = scaleDownOldForRollingUpdate(rollout, minAvailable);
    return cleaned + scaledDown > 0;
  }

  private int cleanupUnhealthyReplicas(Rollout rollout, int maxCleanup) {
    int total = 0;
    for (ReplicaSet rs : oldestFirst(rollout.old)) {
      if (total >= maxCleanup) {
        break;
      }
      int unhealthy = ReplicaSets.desired(rs) - ReplicaSets.available(rs);
      if (ReplicaSets.desired(rs) == 0 || unhealthy <= 0) {
        continue;
      }
      int count = Math.min(maxCleanup - total, unhealthy);
      scaleReplicaSet(rollout, rs, ReplicaSets.desired(rs) - count);
      total += count;
    }
    return total;
  }

  private int scaleDownOldForRollingUpdate(Rollout rollout, int minAvailable) {
    int available = ReplicaSets.sum(rollout.all(), ReplicaSets::available);
    if (available <= minAvailable) {
      return 0;
    }
    int toScaleDown = available - minAvailable;
    int total = 0;
    for (ReplicaSet rs : oldestFirst(rollout.old)) {
      if (total >= toScaleDown) {
        break;
      }
      if (ReplicaSets.desired(rs) == 0) {
        continue;
      }
      int count = Math.min(ReplicaSets.desired(rs), toScaleDown - total);
      scaleReplicaSet(rollout, rs, ReplicaSets.desired(rs) - count);
      total += count;
    }
    return total;
  }

  private static List<ReplicaSet> oldestFirst(List<ReplicaSet> sets) {
    List<ReplicaSet> sorted = new ArrayList<>(sets);
    sorted.sort(ReplicaSets.OLDEST_FIRST);
    return sorted;
  }

  /** Deletes the oldest scaled-down ReplicaSets beyond revisionHistoryLimit. */
  private void cleanupOldReplicaSets(Rollout rollout) {
    List<ReplicaSet> cleanable =
        new ArrayList<>(rollout.old.stream().filter(rs -> rs.getMetadata().getDeletionTimestamp() == null).toList());
    int excess = cleanable.size() - DeploymentSpecs.revisionHistoryLimit(rollout.deployment);
    if (excess <= 0) {
      return;
    }
    cleanable.sort(Comparator.comparingLong(ReplicaSets::revision).thenComparing(ReplicaSets.OLDEST_FIRST));
    for (ReplicaSet rs : cleanable.subList(0, excess)) {
      long generation = rs.getMetadata().getGeneration() == null ? 0 : rs.getMetadata().getGeneration();
      long observed = rs.getStatus() == null || rs.getStatus().getObservedGeneration() == null
          ? 0 : rs.getStatus().getObservedGeneration();
      if (ReplicaSets.observed(rs) != 0 || ReplicaSets.desired(rs) != 0 || generation > observed) {
        continue; // still has pods, or its controller has not caught up with it yet
      }
      client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace())
          .withName(rs.getMetadata().getName()).delete();
    }
  }

  // ---- finding and creating the new ReplicaSet: upstream's getAllReplicaSetsAndSyncRevision ----

  /**
   * Brings the new ReplicaSet's revision (max of the old ones + 1, so a re-used one moves to the
   * top) and annotations up to date, and the Deployment's revision with it.
   */
  private ReplicaSet syncNewReplicaSet(Rollout rollout, ReplicaSet existing) {
    Deployment d = rollout.deployment;
    long newRevision = ReplicaSets.maxRevision(rollout.old) + 1;
    int replicas = DeploymentSpecs.replicas(d);
    int maxReplicas = replicas + DeploymentSpecs.maxSurge(d);
    Map<String, String> annotations = copy(existing.getMetadata().getAnnotations());
    boolean annotationsChanged =
        RevisionAnnotations.updateNewReplicaSet(
            d.getMetadata().getAnnotations(), annotations, newRevision, true, replicas, maxReplicas);
    int minReady = DeploymentSpecs.minReadySeconds(d);
    if (annotationsChanged || !Objects.equals(existing.getSpec().getMinReadySeconds(), minReady)) {
      // the write brings the ReplicaSet back through the informer; the Deployment follows then
      return patch(
          existing,
          GuardedJsonPatch.against(existing)
              .set("/metadata/annotations", annotations)
              .set("/spec/minReadySeconds", minReady));
    }
    syncDeploymentRevision(rollout, annotations.get(RevisionAnnotations.REVISION));
    if (DeploymentSpecs.hasProgressDeadline(d)
        && DeploymentConditions.get(d.getStatus(), DeploymentConditions.PROGRESSING).isEmpty()) {
      DeploymentStatus status = statusOf(rollout.deployment);
      DeploymentConditions.set(
          status,
          DeploymentConditions.create(
              DeploymentConditions.PROGRESSING,
              "True",
              DeploymentConditions.FOUND_NEW_RS,
              "Found new replica set \"" + existing.getMetadata().getName() + "\"",
              Instant.now()));
      writeStatus(rollout, status);
    }
    return existing;
  }

  /** Creates the ReplicaSet for the current template, sized within maxSurge. */
  private ReplicaSet createNewReplicaSet(Rollout rollout) {
    Deployment d = rollout.deployment;
    long newRevision = ReplicaSets.maxRevision(rollout.old) + 1;
    int replicas = DeploymentSpecs.replicas(d);
    int maxReplicas = replicas + DeploymentSpecs.maxSurge(d);
    Integer collisionCount = d.getStatus() == null ? null : d.getStatus().getCollisionCount();
    String hash = PodTemplateHash.of(d.getSpec().getTemplate(), collisionCount);
    PodTemplateSpec template = client.getKubernetesSerialization().clone(d.getSpec().getTemplate());
    if (template.getMetadata() == null) {
      template.setMetadata(new ObjectMeta());
    }
    template.getMetadata().setLabels(PodTemplateHash.withHashLabel(template.getMetadata().getLabels(), hash));
    Map<String, String> annotations = new HashMap<>();
    RevisionAnnotations.updateNewReplicaSet(
        d.getMetadata().getAnnotations(), annotations, newRevision, false, replicas, maxReplicas);
    ReplicaSet rs =
        new ReplicaSetBuilder()
            .withNewMetadata()
            .withName(d.getMetadata().getName() + "-" + hash)
            .withNamespace(d.getMetadata().getNamespace())
            .withLabels(template.getMetadata().getLabels())
            .withAnnotations(annotations)
            .withOwnerReferences(ControllerRefs.controlledBy(d))
            .endMetadata()
            .withNewSpec()
            .withReplicas(0)
            .withMinReadySeconds(DeploymentSpecs.minReadySeconds(d))
            .withSelector(
                new LabelSelectorBuilder(d.getSpec().getSelector())
                    .addToMatchLabels(PodTemplateHash.LABEL, hash)
                    .build())
            .withTemplate(template)
            .endSpec()
            .build();
    List<ReplicaSet> all = new ArrayList<>(rollout.old);
    all.add(rs);
    rs.getSpec().setReplicas(newReplicaSetSize(d, all, rs));
    ReplicaSet created;
    try {
      created = client.apps().replicaSets().resource(rs).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      return resolveNameTaken(rollout, rs);
    }
    syncDeploymentRevision(rollout, Long.toString(newRevision));
    if (DeploymentSpecs.hasProgressDeadline(d)) {
      DeploymentStatus status = statusOf(rollout.deployment);
      DeploymentConditions.set(
          status,
          DeploymentConditions.create(
              DeploymentConditions.PROGRESSING,
              "True",
              DeploymentConditions.NEW_RS_CREATED,
              "Created new replica set \"" + created.getMetadata().getName() + "\"",
              Instant.now()));
      writeStatus(rollout, status);
    }
    return created;
  }

  /**
   * The new ReplicaSet's name exists already: either this controller made it and the cache has
   * not seen it yet (retry later), or another template hashed to the same name, which upstream
   * resolves by bumping status.collisionCount so the next hash differs.
   */
  private ReplicaSet resolveNameTaken(Rollout rollout, ReplicaSet wanted) {
    ReplicaSet taken = client.apps().replicaSets().inNamespace(wanted.getMetadata().getNamespace())
        .withName(wanted.getMetadata().getName()).get();
    boolean ours = taken != null
        && ControllerRefs.controllerOf(taken)
            .map(ref -> ref.getUid().equals(rollout.deployment.getMetadata().getUid()))
            .orElse(false);
    if (taken == null || (ours && PodTemplateHash.equalIgnoringHash(taken.getSpec().getTemplate(), wanted.getSpec().getTemplate()))) {
      throw new StaleCacheException("replica set " + wanted.getMetadata().getName() + " exists but is not cached yet");
    }
    DeploymentStatus status = statusOf(rollout.deployment);
    status.setCollisionCount(status.getCollisionCount() == null ? 1 : status.getCollisionCount() + 1);
    writeStatus(rollout, status);
    throw new StaleCacheException("pod template hash collision on " + wanted.getMetadata().getName());
  }

  /** Records the new ReplicaSet's revision on the Deployment, where kubectl reads it. */
  private void syncDeploymentRevision(Rollout rollout, String revision) {
    Deployment d = rollout.deployment;
    Map<String, String> annotations = copy(d.getMetadata().getAnnotations());
    if (revision == null || revision.equals(annotations.get(RevisionAnnotations.REVISION))) {
      return;
    }
    annotations.put(RevisionAnnotations.REVISION, revision);
    rollout.deployment =
        client.apps().deployments().inNamespace(d.getMetadata().getNamespace()).withName(d.getMetadata().getName())
            .patch(PatchContext.of(PatchType.JSON),
                GuardedJsonPatch.against(d).set("/metadata/annotations", annotations).toJson());
  }

  // ---- writes ----

  /** Sets a ReplicaSet's size (and replica annotations); true if the size changed. */
  private boolean scaleReplicaSet(Rollout rollout, ReplicaSet rs, int size) {
    Deployment d = rollout.deployment;
    int replicas = DeploymentSpecs.replicas(d);
    int max = replicas + DeploymentSpecs.maxSurge(d);
    boolean sizeChanged = ReplicaSets.desired(rs) != size;
    if (!sizeChanged && !RevisionAnnotations.replicasNeedUpdate(rs.getMetadata().getAnnotations(), replicas, max)) {
      return false;
    }
    Map<String, String> annotations = copy(rs.getMetadata().getAnnotations());
    RevisionAnnotations.setReplicas(annotations, replicas, max);
    rollout.replace(
        patch(rs, GuardedJsonPatch.against(rs).set("/spec/replicas", size).set("/metadata/annotations", annotations)));
    return sizeChanged;
  }

  private ReplicaSet patch(ReplicaSet rs, GuardedJsonPatch patch) {
    return client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace())
        .withName(rs.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON), patch.toJson());
  }

  /** Upstream's syncRolloutStatus: write the rollout status, or wait for the deadline. */
  private void syncRolloutStatus(Rollout rollout) {
    Instant now = Instant.now();
    Deployment d = rollout.deployment;
    DeploymentStatus status = DeploymentStatuses.rollout(d, rollout.all(), rollout.newRS, now);
    if (SemanticEquality.same(status, d.getStatus())) {
      DeploymentStatuses.untilDeadline(d, status, now)
          .ifPresent(after -> queue.addAfter(ControllerRefs.keyOf(d), after));
      return;
    }
    writeStatus(rollout, status);
  }

  private void writeStatusIfChanged(Rollout rollout, DeploymentStatus status) {
    if (!SemanticEquality.same(status, rollout.deployment.getStatus())) {
      writeStatus(rollout, status);
    }
  }

  private void writeStatus(Rollout rollout, DeploymentStatus status) {
    Deployment d = client.getKubernetesSerialization().clone(rollout.deployment);
    d.setStatus(status);
    rollout.deployment = client.apps().deployments().resource(d).updateStatus();
  }

  private static DeploymentStatus statusOf(Deployment d) {
    DeploymentStatus status = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
    if (status.getConditions() == null) {
      status.setConditions(new ArrayList<>());
    }
    return status;
  }

  private static Map<String, String> copy(Map<String, String> map) {
    return map == null ? new HashMap<>() : new HashMap<>(map);
  }

  private static boolean isEmpty(Map<?, ?> map) {
    return map == null || map.isEmpty();
  }

  private static boolean isEmpty(List<?> list) {
    return list == null || list.isEmpty();
  }

  /**
   * One sync's view of a Deployment and its ReplicaSets, updated with what each write returns
   * so later steps of the same sync decide on what the API server now holds.
   */
  private final class Rollout {
    Deployment deployment;
    final List<ReplicaSet> owned;
    ReplicaSet newRS;
    List<ReplicaSet> old = new ArrayList<>();

    Rollout(Deployment deployment, List<ReplicaSet> owned) {
      this.deployment = deployment;
      this.owned = owned;
    }

    /**
     * Splits the owned ReplicaSets into the new one (the oldest whose template matches) and the
     * old ones, and syncs the new one's revision.
     */
    void findReplicaSets() {
      PodTemplateSpec template = deployment.getSpec().getTemplate();
      ReplicaSet existing = owned.stream()
          .filter(rs -> PodTemplateHash.equalIgnoringHash(rs.getSpec().getTemplate(), template))
          .min(ReplicaSets.OLDEST_FIRST)
          .orElse(null);
      old = new ArrayList<>(owned.stream().filter(rs -> rs != existing).toList());
      newRS = existing == null ? null : syncNewReplicaSet(this, existing);
    }

    void createNewReplicaSetIfMissing() {
      if (newRS == null) {
        newRS = createNewReplicaSet(this);
      }
    }

    List<ReplicaSet> all() {
      List<ReplicaSet> all = new ArrayList<>(old);
      if (newRS != null) {
        all.add(newRS);
      }
      return all;
    }

    void replace(ReplicaSet updated) {
      String uid = updated.getMetadata().getUid();
      if (newRS != null && uid.equals(newRS.getMetadata().getUid())) {
        newRS = updated;
      }
      old.replaceAll(rs -> uid.equals(rs.getMetadata().getUid()) ? updated : rs);
    }
  }
}
