package dev.hotfix.sandbox.cluster;

import dev.hotfix.notify.EventRecorder;
import dev.hotfix.sandbox.Informers;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The sandbox's DaemonSet controller, following kube-controller-manager's
 * ({@code pkg/controller/daemon}): one pod on every Ready node whose labels match the template's
 * {@code nodeSelector}, pinned there by a required node affinity on {@code metadata.name} (as
 * upstream, the scheduler binds it); a second pod on a node, or one on a node that no longer
 * qualifies, is deleted. A RollingUpdate replaces old pods within {@code maxUnavailable} (default
 * 1) unavailable nodes, or with {@code maxSurge} surging a new pod next to the old one and deleting
 * the old one once the new one is available; OnDelete only gives new pods the new template. The
 * template's history is ControllerRevisions ({@link ControllerHistory}); pods carry
 * {@code controller-revision-hash} = the revision's hash and {@code pod-template-generation}.
 */
final class DaemonSetController implements AutoCloseable {

  static final String TEMPLATE_GENERATION_LABEL = "pod-template-generation";
  private static final EventSource SOURCE = new EventSource("daemonset-controller", null);
  private static final String SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private final KubernetesClient client;
  private final SharedIndexInformer<DaemonSet> daemonSets;
  private final SharedIndexInformer<ControllerRevision> revisions;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Node> nodes;
  private final ControllerHistory history;
  private final EventRecorder events;
  /** Pods created or deleted but not yet seen, as upstream's ControllerExpectations: no second pod for a node. */
  private final ReplicaSetExpectations expectations = new ReplicaSetExpectations();
  private final WorkQueue queue;

  DaemonSetController(KubernetesClient client, SharedIndexInformer<DaemonSet> daemonSets,
      SharedIndexInformer<ControllerRevision> revisions, SharedIndexInformer<Pod> pods, SharedIndexInformer<Node> nodes,
      EventRecorder events, int workers) {
    this.client = client;
    this.daemonSets = daemonSets;
    this.revisions = revisions;
    this.pods = pods;
    this.nodes = nodes;
    this.history = new ControllerHistory(client);
    this.events = events;
    this.queue = new WorkQueue("daemonset-controller", workers, this::sync);
    daemonSets.addEventHandler(Informers.onAny(ds -> queue.add(ControllerRefs.keyOf(ds))));
    pods.addEventHandler(new io.fabric8.kubernetes.client.informers.ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        ownerKey(pod).ifPresent(key -> expectations.creationObserved(key, pod.getMetadata().getName()));
        enqueueOwner(pod);
      }

      @Override
      public void onUpdate(Pod before, Pod after) {
        if (before.getMetadata().getDeletionTimestamp() == null && after.getMetadata().getDeletionTimestamp() != null) {
          ownerKey(after).ifPresent(key -> expectations.deletionObserved(key, after.getMetadata().getName()));
        }
        enqueueOwner(after);
      }

      @Override
      public void onDelete(Pod pod, boolean finalStateUnknown) {
        ownerKey(pod).ifPresent(key -> expectations.deletionObserved(key, pod.getMetadata().getName()));
        enqueueOwner(pod);
      }
    });
    revisions.addEventHandler(Informers.onAny(this::enqueueOwner));
    // a node that comes, goes or changes labels may need a daemon pod or lose one
    nodes.addEventHandler(Informers.onAny(n -> daemonSets.getIndexer().list()
        .forEach(ds -> queue.add(ControllerRefs.keyOf(ds)))));
  }

  private void enqueueOwner(HasMetadata owned) {
    ownerKey(owned).ifPresent(queue::add);
  }

  private static Optional<String> ownerKey(HasMetadata owned) {
    return ControllerRefs.controllerOf(owned, "DaemonSet").map(ref -> ControllerRefs.keyOf(owned, ref));
  }

  void start() {
    queue.start();
  }

  @Override
  public void close() {
    queue.close();
  }

  private void sync(String key) {
    DaemonSet ds = daemonSets.getIndexer().getByKey(key);
    if (ds == null) {
      expectations.forget(key);
      return;
    }
    if (ds.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    String uid = ds.getMetadata().getUid();
    DaemonSetStatus before = ds.getStatus() == null ? new DaemonSetStatus() : ds.getStatus();
    ControllerHistory.Revisions revs = history.sync(ds, ds.getSpec().getTemplate(),
        revisions.getIndexer().byIndex(ControllerRefs.BY_CONTROLLER_UID, uid), null,
        before.getCollisionCount() == null ? 0 : before.getCollisionCount());
    String hash = hashOf(revs.update());
    Map<String, List<Pod>> byNode = podsByNode(ds);
    List<String> eligible = eligibleNodes(ds);
    Instant now = Instant.now();
    RuntimeException failure = null;
    try {
      if (expectations.satisfied(key)) {
        manage(key, ds, hash, byNode, eligible, now);
      }
    } catch (RuntimeException e) {
      failure = e; // report what is, then retry, as upstream does
    }
    DaemonSetStatus status = status(ds, hash, byNode, eligible, revs.collisionCount(), now);
    if (!SemanticEquality.same(status, ds.getStatus())) {
      DaemonSet copy = client.getKubernetesSerialization().clone(ds);
      copy.setStatus(status);
      client.apps().daemonSets().resource(copy).updateStatus();
    }
    if (failure != null) {
      throw failure;
    }
    Set<String> live = new HashSet<>();
    live.add(revs.update().getMetadata().getName());
    byNode.values().stream().flatMap(List::stream).map(DaemonSetController::hashOf).filter(Objects::nonNull)
        .forEach(h -> live.add(ds.getMetadata().getName() + "-" + h));
    history.truncate(revisions.getIndexer().byIndex(ControllerRefs.BY_CONTROLLER_UID, uid), live,
        ds.getSpec().getRevisionHistoryLimit() == null ? 10 : ds.getSpec().getRevisionHistoryLimit());
    Pods.untilNextAvailable(byNode.values().stream().flatMap(List::stream).toList(), minReadySeconds(ds), now)
        .ifPresent(after -> queue.addAfter(key, after));
  }

  /** Ready nodes whose labels carry every pair of the template's nodeSelector, as upstream's predicates. */
  private List<String> eligibleNodes(DaemonSet ds) {
    Map<String, String> selector = ds.getSpec().getTemplate().getSpec().getNodeSelector();
    List<String> out = new ArrayList<>();
    for (Node node : nodes.getIndexer().list()) {
      Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
      boolean ready = node.getStatus() != null && node.getStatus().getConditions() != null && node.getStatus()
          .getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
      boolean schedulable = node.getSpec() == null || !Boolean.TRUE.equals(node.getSpec().getUnschedulable());
      if (ready && schedulable && (selector == null || labels.entrySet().containsAll(selector.entrySet()))) {
        out.add(node.getMetadata().getName());
      }
    }
    out.sort(null);
    return out;
  }

  /** The DaemonSet's pods by the node they are pinned to, oldest first. */
  private Map<String, List<Pod>> podsByNode(DaemonSet ds) {
    Map<String, List<Pod>> out = new LinkedHashMap<>();
    for (Pod pod : pods.getIndexer().byIndex(ControllerRefs.BY_CONTROLLER_UID, ds.getMetadata().getUid())) {
      String node = pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty()
          ? pod.getSpec().getNodeName() : Kubelet.pinnedNode(pod).orElse("");
      out.computeIfAbsent(node, n -> new ArrayList<>()).add(pod);
    }
    out.values().forEach(l -> l.sort(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp(),
        Comparator.nullsLast(Comparator.naturalOrder()))));
    return out;
  }

  /**
   * Upstream's manage then rollingUpdate, one step per sync: finished pods go, nodes without a
   * pod get one, surplus pods go; then old pods are replaced within the budget.
   */
  private void manage(String key, DaemonSet ds, String hash, Map<String, List<Pod>> byNode, List<String> eligible, Instant now) {
    int minReady = minReadySeconds(ds);
    List<Pod> toDelete = new ArrayList<>();
    List<String> toCreate = new ArrayList<>();
    for (Map.Entry<String, List<Pod>> entry : byNode.entrySet()) {
      if (!eligible.contains(entry.getKey())) {
        entry.getValue().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).forEach(toDelete::add);
      }
    }
    boolean rolling = !"OnDelete".equals(strategyType(ds));
    Fences fences = fences(ds, eligible.size());
    for (String node : eligible) {
      List<Pod> live = byNode.getOrDefault(node, List.of()).stream()
          .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
      List<Pod> finished = live.stream().filter(p -> !Pods.isActive(p)).toList();
      toDelete.addAll(finished);
      List<Pod> active = live.stream().filter(Pods::isActive).toList();
      boolean terminating = byNode.getOrDefault(node, List.of()).stream()
          .anyMatch(p -> p.getMetadata().getDeletionTimestamp() != null);
      if (active.isEmpty() && !terminating) {
        toCreate.add(node);
      } else if (active.size() > 1) {
        // upstream keeps the oldest pod; while surging, the old and the new pod may share the node
        List<Pod> extra = new ArrayList<>(active);
        if (rolling && fences.surge() > 0 && active.size() == 2
            && active.stream().filter(p -> hash.equals(hashOf(p))).count() == 1) {
          continue;
        }
        extra.remove(0);
        toDelete.addAll(extra);
      }
    }
    if (rolling) {
      rollingUpdate(ds, hash, byNode, eligible, fences, minReady, now, toDelete, toCreate);
    }
    List<Pod> creations = toCreate.stream().map(node -> newPod(ds, hash, node)).toList();
    List<Pod> deletions = toDelete.stream().distinct().toList();
    expectations.expectCreations(key, creations.stream().map(p -> p.getMetadata().getName()).toList());
    expectations.expectDeletions(key, deletions.stream().map(p -> p.getMetadata().getName()).toList());
    // deletions first (upstream creates first): an old pod whose replacement became available is
    // marked before the next surge pod appears, so no one sees more than maxSurge extra pods
    for (Pod pod : deletions) {
      delete(key, ds, pod);
    }
    for (Pod pod : creations) {
      create(key, ds, pod);
    }
  }

  /** Upstream's rollingUpdate: which old pods to delete and where to surge a new one, within the budget. */
  private void rollingUpdate(DaemonSet ds, String hash, Map<String, List<Pod>> byNode, List<String> eligible,
      Fences fences, int minReady, Instant now, List<Pod> toDelete, List<String> toCreate) {
    if (fences.surge() == 0) {
      int unavailable = 0;
      List<Pod> oldAvailable = new ArrayList<>();
      for (String node : eligible) {
        List<Pod> active = activeOn(byNode, node);
        Optional<Pod> newPod = active.stream().filter(p -> hash.equals(hashOf(p))).findFirst();
        Optional<Pod> oldPod = active.stream().filter(p -> !hash.equals(hashOf(p))).findFirst();
        if (newPod.isPresent()) {
          if (!Pods.isAvailable(newPod.get(), minReady, now)) {
            unavailable++;
          }
        } else if (oldPod.isEmpty()) {
          unavailable++;
        } else if (!Pods.isAvailable(oldPod.get(), minReady, now)) {
          // an old pod that is not available costs nothing to replace
          toDelete.add(oldPod.get());
          unavailable++;
        } else {
          oldAvailable.add(oldPod.get());
        }
      }
      for (Pod pod : oldAvailable) {
        if (unavailable >= fences.unavailable()) {
          break;
        }
        toDelete.add(pod);
        unavailable++;
      }
      return;
    }
    int surging = 0;
    List<String> candidates = new ArrayList<>();
    for (String node : eligible) {
      List<Pod> active = activeOn(byNode, node);
      Optional<Pod> newPod = active.stream().filter(p -> hash.equals(hashOf(p))).findFirst();
      Optional<Pod> oldPod = active.stream().filter(p -> !hash.equals(hashOf(p))).findFirst();
      if (oldPod.isEmpty()) {
        continue;
      }
      if (newPod.isPresent()) {
        if (Pods.isAvailable(newPod.get(), minReady, now)) {
          toDelete.add(oldPod.get()); // the new pod took over
        } else {
          surging++;
        }
      } else if (!Pods.isAvailable(oldPod.get(), minReady, now)) {
        toDelete.add(oldPod.get()); // nothing to keep available: replace outright
      } else {
        candidates.add(node);
      }
    }
    for (String node : candidates) {
      if (surging >= fences.surge()) {
        break;
      }
      toCreate.add(node);
      surging++;
    }
  }

  private static List<Pod> activeOn(Map<String, List<Pod>> byNode, String node) {
    return byNode.getOrDefault(node, List.of()).stream().filter(Pods::isActive).toList();
  }

  /** maxSurge and maxUnavailable against the number of nodes, both rounded up; both 0 means 1 unavailable. */
  record Fences(int surge, int unavailable) {}

  private static Fences fences(DaemonSet ds, int desired) {
    var strategy = ds.getSpec().getUpdateStrategy();
    var rolling = strategy == null ? null : strategy.getRollingUpdate();
    IntOrString surge = rolling == null || rolling.getMaxSurge() == null ? new IntOrString(0) : rolling.getMaxSurge();
    IntOrString unavailable = rolling == null || rolling.getMaxUnavailable() == null ? new IntOrString(1)
        : rolling.getMaxUnavailable();
    int s = DeploymentSpecs.scaled(surge, desired, true);
    int u = DeploymentSpecs.scaled(unavailable, desired, true);
    return new Fences(s, s == 0 && u == 0 ? 1 : u);
  }

  private Pod newPod(DaemonSet ds, String hash, String node) {
    PodTemplateSpec template = ds.getSpec().getTemplate();
    Map<String, String> labels = new LinkedHashMap<>();
    if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
      labels.putAll(template.getMetadata().getLabels());
    }
    labels.put(ControllerHistory.HASH_LABEL, hash);
    labels.put(TEMPLATE_GENERATION_LABEL, String.valueOf(ds.getMetadata().getGeneration()));
    return new PodBuilder()
        .withNewMetadata()
        .withName(ds.getMetadata().getName() + "-" + randomSuffix())
        .withNamespace(ds.getMetadata().getNamespace())
        .withLabels(labels)
        .withAnnotations(template.getMetadata() == null ? null : template.getMetadata().getAnnotations())
        .withOwnerReferences(ControllerRefs.controlledBy(ds))
        .endMetadata()
        .withSpec(client.getKubernetesSerialization().clone(template.getSpec()))
        .editSpec()
        .withNewAffinity()
        .withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution()
        .addNewNodeSelectorTerm()
        .withMatchFields(new NodeSelectorRequirementBuilder().withKey("metadata.name").withOperator("In")
            .withValues(node).build())
        .endNodeSelectorTerm()
        .endRequiredDuringSchedulingIgnoredDuringExecution()
        .endNodeAffinity()
        .endAffinity()
        .endSpec()
        .build();
  }

  private void create(String key, DaemonSet ds, Pod pod) {
    try {
      client.pods().resource(pod).create();
      events.record(ds, SOURCE, EventRecorder.NORMAL, "SuccessfulCreate",
          "Created pod: " + pod.getMetadata().getName());
    } catch (KubernetesClientException e) {
      expectations.creationObserved(key, pod.getMetadata().getName());
      events.record(ds, SOURCE, EventRecorder.WARNING, "FailedCreate", "Error creating: " + e.getMessage());
      throw e;
    }
  }

  private void delete(String key, DaemonSet ds, Pod pod) {
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
      events.record(ds, SOURCE, EventRecorder.NORMAL, "SuccessfulDelete", "Deleted pod: " + pod.getMetadata().getName());
    } catch (KubernetesClientException e) {
      expectations.deletionObserved(key, pod.getMetadata().getName());
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
    }
  }

  /** Upstream's updateDaemonSetStatus. */
  private static DaemonSetStatus status(DaemonSet ds, String hash, Map<String, List<Pod>> byNode, List<String> eligible,
      int collisionCount, Instant now) {
    int minReady = minReadySeconds(ds);
    int current = 0;
    int misscheduled = 0;
    int ready = 0;
    int available = 0;
    int updated = 0;
    for (Map.Entry<String, List<Pod>> entry : byNode.entrySet()) {
      List<Pod> active = entry.getValue().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
      if (active.isEmpty()) {
        continue;
      }
      if (!eligible.contains(entry.getKey())) {
        misscheduled++;
        continue;
      }
      current++;
      // the pod that counts for a node: the new one when it is there (surge), else the oldest
      Pod pod = active.stream().filter(p -> hash.equals(hashOf(p))).findFirst().orElse(active.get(0));
      if (Readiness.isPodReady(pod)) {
        ready++;
        if (Pods.isAvailable(pod, minReady, now)) {
          available++;
        }
      }
      if (hash.equals(hashOf(pod))) {
        updated++;
      }
    }
    DaemonSetStatus status = new DaemonSetStatus();
    status.setDesiredNumberScheduled(eligible.size());
    status.setCurrentNumberScheduled(current);
    status.setNumberMisscheduled(misscheduled);
    status.setNumberReady(ready);
    status.setNumberAvailable(available);
    status.setNumberUnavailable(Math.max(0, eligible.size() - available));
    status.setUpdatedNumberScheduled(updated);
    status.setObservedGeneration(ds.getMetadata().getGeneration());
    status.setCollisionCount(collisionCount);
    return status;
  }

  private static String hashOf(Pod pod) {
    return pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(ControllerHistory.HASH_LABEL);
  }

  private static String hashOf(ControllerRevision revision) {
    return revision.getMetadata().getLabels().get(ControllerHistory.HASH_LABEL);
  }

  private static String strategyType(DaemonSet ds) {
    return ds.getSpec().getUpdateStrategy() == null || ds.getSpec().getUpdateStrategy().getType() == null
        ? "RollingUpdate" : ds.getSpec().getUpdateStrategy().getType();
  }

  private static int minReadySeconds(DaemonSet ds) {
    return ds.getSpec().getMinReadySeconds() == null ? 0 : ds.getSpec().getMinReadySeconds();
  }

  private static String randomSuffix() {
    char[] chars = new char[5];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = SUFFIX_ALPHABET.charAt(java.util.concurrent.ThreadLocalRandom.current().nextInt(SUFFIX_ALPHABET.length()));
    }
    return new String(chars);
  }
}
