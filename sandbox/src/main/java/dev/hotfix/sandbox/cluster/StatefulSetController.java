package dev.hotfix.sandbox.cluster;

import dev.hotfix.notify.EventRecorder;
import dev.hotfix.sandbox.Informers;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The sandbox's StatefulSet controller, following kube-controller-manager's
 * ({@code pkg/controller/statefulset}): pods named {@code <set>-<ordinal>}, created one at a time
 * in ordinal order, each waiting for its predecessors to be running and ready (OrderedReady, or
 * all at once under Parallel); extra ordinals removed from the highest down; a RollingUpdate
 * replaces pods from the highest ordinal down to {@code partition}, at most {@code maxUnavailable}
 * (default 1) unavailable at a time; an OnDelete set only gives new pods the new template. The
 * template's history is kept as ControllerRevisions ({@link ControllerHistory}); pods carry
 * {@code controller-revision-hash} = their revision's name, and the status reports
 * currentRevision/updateRevision with their replica counts as {@code kubectl rollout status} reads them.
 */
final class StatefulSetController implements AutoCloseable {

  static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
  static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";
  private static final EventSource SOURCE = new EventSource("statefulset-controller", null);

  private final KubernetesClient client;
  private final SharedIndexInformer<StatefulSet> sets;
  private final SharedIndexInformer<ControllerRevision> revisions;
  private final SharedIndexInformer<Pod> pods;
  private final ControllerHistory history;
  private final EventRecorder events;
  private final WorkQueue queue;

  StatefulSetController(KubernetesClient client, SharedIndexInformer<StatefulSet> sets,
      SharedIndexInformer<ControllerRevision> revisions, SharedIndexInformer<Pod> pods, EventRecorder events,
      int workers) {
    this.client = client;
    this.sets = sets;
    this.revisions = revisions;
    this.pods = pods;
    this.history = new ControllerHistory(client);
    this.events = events;
    this.queue = new WorkQueue("statefulset-controller", workers, this::sync);
    sets.addEventHandler(Informers.onAny(s -> queue.add(ControllerRefs.keyOf(s))));
    pods.addEventHandler(Informers.onAny(this::enqueueOwner));
    revisions.addEventHandler(Informers.onAny(this::enqueueOwner));
  }

  private void enqueueOwner(io.fabric8.kubernetes.api.model.HasMetadata owned) {
    ControllerRefs.controllerOf(owned, "StatefulSet").ifPresent(ref -> queue.add(ControllerRefs.keyOf(owned, ref)));
  }

  void start() {
    queue.start();
  }

  @Override
  public void close() {
    queue.close();
  }

  private void sync(String key) {
    StatefulSet set = sets.getIndexer().getByKey(key);
    if (set == null || set.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    String uid = set.getMetadata().getUid();
    List<ControllerRevision> owned = revisions.getIndexer().byIndex(ControllerRefs.BY_CONTROLLER_UID, uid);
    StatefulSetStatus before = set.getStatus() == null ? new StatefulSetStatus() : set.getStatus();
    ControllerHistory.Revisions revs = history.sync(set, set.getSpec().getTemplate(), owned,
        before.getCurrentRevision(), before.getCollisionCount() == null ? 0 : before.getCollisionCount());
    Map<Integer, Pod> byOrdinal = podsByOrdinal(set);
    Instant now = Instant.now();
    RuntimeException failure = null;
    try {
      manage(set, revs, byOrdinal, now);
    } catch (RuntimeException e) {
      failure = e; // report what is, then retry, as upstream does
    }
    StatefulSetStatus status = status(set, revs, byOrdinal.values(), now);
    if (!SemanticEquality.same(status, set.getStatus())) {
      StatefulSet copy = client.getKubernetesSerialization().clone(set);
      copy.setStatus(status);
      client.apps().statefulSets().resource(copy).updateStatus();
    }
    if (failure != null) {
      throw failure;
    }
    Set<String> live = byOrdinal.values().stream().map(StatefulSetController::revisionOf).filter(Objects::nonNull)
        .collect(Collectors.toSet());
    live.add(status.getCurrentRevision());
    live.add(status.getUpdateRevision());
    history.truncate(revisions.getIndexer().byIndex(ControllerRefs.BY_CONTROLLER_UID, uid), live,
        set.getSpec().getRevisionHistoryLimit() == null ? 10 : set.getSpec().getRevisionHistoryLimit());
    Pods.untilNextAvailable(byOrdinal.values(), minReadySeconds(set), now).ifPresent(after -> queue.addAfter(key, after));
  }

  /** The set's pods by ordinal; a pod whose name is not {@code <set>-<n>} is not one of its identities. */
  private Map<Integer, Pod> podsByOrdinal(StatefulSet set) {
    Map<Integer, Pod> out = new LinkedHashMap<>();
    String prefix = set.getMetadata().getName() + "-";
    for (Pod pod : pods.getIndexer().byIndex(ControllerRefs.BY_CONTROLLER_UID, set.getMetadata().getUid())) {
      String name = pod.getMetadata().getName();
      if (name.startsWith(prefix) && name.substring(prefix.length()).matches("0|[1-9][0-9]*")) {
        out.put(Integer.parseInt(name.substring(prefix.length())), pod);
      }
    }
    return out;
  }

  /**
   * Upstream's updateStatefulSet, one step per sync: each sync makes the next move its rules allow
   * and returns; the pod events it causes bring the next sync.
   */
  private void manage(StatefulSet set, ControllerHistory.Revisions revs, Map<Integer, Pod> byOrdinal, Instant now) {
    int replicas = set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas();
    boolean ordered = !"Parallel".equals(set.getSpec().getPodManagementPolicy());
    int minReady = minReadySeconds(set);
    int partition = partition(set);
    boolean rolling = !"OnDelete".equals(strategyType(set));

    // replace finished pods and create missing ones, lowest ordinal first
    for (int ordinal = 0; ordinal < replicas; ordinal++) {
      Pod pod = byOrdinal.get(ordinal);
      if (pod != null && isFinished(pod) && pod.getMetadata().getDeletionTimestamp() == null) {
        delete(set, pod);
        if (ordered) {
          return;
        }
        continue;
      }
      if (pod == null) {
        // pods below the partition keep the current revision, as upstream's newVersionedStatefulSetPod
        ControllerRevision revision = rolling && ordinal < partition ? revs.current() : revs.update();
        create(set, revision, ordinal);
        if (ordered) {
          return;
        }
        continue;
      }
      if (ordered && (pod.getMetadata().getDeletionTimestamp() != null || !Pods.isAvailable(pod, minReady, now))) {
        return; // OrderedReady: the next ordinal waits for this one
      }
    }

    // scale down: the highest ordinal first, one at a time under OrderedReady, never past an unhealthy pod
    List<Integer> condemned = byOrdinal.keySet().stream().filter(o -> o >= replicas)
        .sorted(java.util.Comparator.reverseOrder()).toList();
    for (int ordinal : condemned) {
      Pod pod = byOrdinal.get(ordinal);
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        if (ordered) {
          return;
        }
        continue;
      }
      if (ordered && byOrdinal.entrySet().stream().anyMatch(e -> e.getKey() < ordinal
          && !Pods.isAvailable(e.getValue(), minReady, now))) {
        return;
      }
      delete(set, pod);
      if (ordered) {
        return;
      }
    }
    if (!rolling) {
      return;
    }

    // rolling update: from the highest ordinal down to the partition, within maxUnavailable
    int maxUnavailable = maxUnavailable(set, replicas);
    long unavailable = byOrdinal.entrySet().stream().filter(e -> e.getKey() < replicas)
        .filter(e -> e.getValue().getMetadata().getDeletionTimestamp() != null
            || !Pods.isAvailable(e.getValue(), minReady, now))
        .count() + (replicas - byOrdinal.keySet().stream().filter(o -> o < replicas).count());
    String updateName = revs.update().getMetadata().getName();
    for (int ordinal = replicas - 1; ordinal >= partition && unavailable < maxUnavailable; ordinal--) {
      Pod pod = byOrdinal.get(ordinal);
      if (pod == null || pod.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      if (!updateName.equals(revisionOf(pod))) {
        delete(set, pod);
        if (Pods.isAvailable(pod, minReady, now)) {
          unavailable++;
        }
      }
    }
  }

  private void create(StatefulSet set, ControllerRevision revision, int ordinal) {
    PodTemplateSpec template = ControllerHistory.templateOf(revision);
    String name = set.getMetadata().getName() + "-" + ordinal;
    Map<String, String> labels = new LinkedHashMap<>();
    if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
      labels.putAll(template.getMetadata().getLabels());
    }
    labels.put(ControllerHistory.HASH_LABEL, revision.getMetadata().getName());
    labels.put(POD_NAME_LABEL, name);
    labels.put(POD_INDEX_LABEL, Integer.toString(ordinal));
    Pod pod = new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(set.getMetadata().getNamespace())
        .withLabels(labels)
        .withAnnotations(template.getMetadata() == null ? null : template.getMetadata().getAnnotations())
        .withOwnerReferences(ControllerRefs.controlledBy(set))
        .endMetadata()
        .withSpec(template.getSpec())
        .editSpec()
        .withHostname(name)
        .withSubdomain(set.getSpec().getServiceName())
        .endSpec()
        .build();
    try {
      client.pods().resource(pod).create();
      events.record(set, SOURCE, EventRecorder.NORMAL, "SuccessfulCreate",
          "create Pod " + name + " in StatefulSet " + set.getMetadata().getName() + " successful");
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return; // the last incarnation is still being removed; its deletion brings the next sync
      }
      events.record(set, SOURCE, EventRecorder.WARNING, "FailedCreate", "create Pod " + name + " in StatefulSet "
          + set.getMetadata().getName() + " failed error: " + e.getMessage());
      throw e;
    }
  }

  private void delete(StatefulSet set, Pod pod) {
    String name = pod.getMetadata().getName();
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(name).delete();
      events.record(set, SOURCE, EventRecorder.NORMAL, "SuccessfulDelete",
          "delete Pod " + name + " in StatefulSet " + set.getMetadata().getName() + " successful");
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
    }
  }

  /** Upstream's computeReplicaStatus and completeRollingUpdate. */
  private static StatefulSetStatus status(StatefulSet set, ControllerHistory.Revisions revs,
      java.util.Collection<Pod> owned, Instant now) {
    int minReady = minReadySeconds(set);
    String current = revs.current().getMetadata().getName();
    String update = revs.update().getMetadata().getName();
    int replicas = 0;
    int ready = 0;
    int available = 0;
    int currentReplicas = 0;
    int updatedReplicas = 0;
    for (Pod pod : owned) {
      replicas++;
      if (Readiness.isPodReady(pod) && pod.getMetadata().getDeletionTimestamp() == null) {
        ready++;
        if (Pods.isAvailable(pod, minReady, now)) {
          available++;
        }
      }
      if (pod.getMetadata().getDeletionTimestamp() == null) {
        if (current.equals(revisionOf(pod))) {
          currentReplicas++;
        }
        if (update.equals(revisionOf(pod))) {
          updatedReplicas++;
        }
      }
    }
    StatefulSetStatus status = new StatefulSetStatus();
    status.setObservedGeneration(set.getMetadata().getGeneration());
    status.setReplicas(replicas);
    status.setReadyReplicas(ready);
    status.setAvailableReplicas(available);
    status.setCurrentRevision(current);
    status.setUpdateRevision(update);
    status.setCurrentReplicas(currentReplicas);
    status.setUpdatedReplicas(updatedReplicas);
    status.setCollisionCount(revs.collisionCount());
    if (!"OnDelete".equals(strategyType(set)) && updatedReplicas == replicas && ready == replicas) {
      status.setCurrentRevision(update);
      status.setCurrentReplicas(updatedReplicas);
    }
    return status;
  }

  static String revisionOf(Pod pod) {
    return pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(ControllerHistory.HASH_LABEL);
  }

  private static boolean isFinished(Pod pod) {
    String phase = Pods.phase(pod);
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  private static String strategyType(StatefulSet set) {
    return set.getSpec().getUpdateStrategy() == null || set.getSpec().getUpdateStrategy().getType() == null
        ? "RollingUpdate" : set.getSpec().getUpdateStrategy().getType();
  }

  private static int partition(StatefulSet set) {
    var strategy = set.getSpec().getUpdateStrategy();
    return strategy == null || strategy.getRollingUpdate() == null || strategy.getRollingUpdate().getPartition() == null
        ? 0 : strategy.getRollingUpdate().getPartition();
  }

  /** maxUnavailable as upstream's MaxUnavailableStatefulSet reads it: a count or a percentage rounded up, at least 1. */
  private static int maxUnavailable(StatefulSet set, int replicas) {
    var strategy = set.getSpec().getUpdateStrategy();
    IntOrString value = strategy == null || strategy.getRollingUpdate() == null ? null
        : strategy.getRollingUpdate().getMaxUnavailable();
    return value == null ? 1 : Math.max(1, DeploymentSpecs.scaled(value, replicas, true));
  }

  private static int minReadySeconds(StatefulSet set) {
    return set.getSpec().getMinReadySeconds() == null ? 0 : set.getSpec().getMinReadySeconds();
  }
}
