package dev.hotfix.sandbox.cluster;

import dev.hotfix.sandbox.Informers;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The sandbox's ReplicaSet controller, following kube-controller-manager's: keeps
 * {@code spec.replicas} active pods (named {@code <replicaset>-<5 random chars>}, controlled by
 * the ReplicaSet), removes extras in {@link PodDeletionOrder}, and reports replicas,
 * fullyLabeledReplicas, readyReplicas, availableReplicas and observedGeneration.
 */
final class ReplicaSetController implements AutoCloseable {

  private static final String REPLICA_FAILURE = "ReplicaFailure";
  /** Upstream's burstReplicas: the most pods created or deleted in one sync. */
  private static final int BURST = 500;

  private final KubernetesClient client;
  private final SharedIndexInformer<ReplicaSet> replicaSets;
  private final SharedIndexInformer<Pod> pods;
  private final ReplicaSetExpectations expectations = new ReplicaSetExpectations();
  private final WorkQueue queue;

  ReplicaSetController(
      KubernetesClient client,
      SharedIndexInformer<ReplicaSet> replicaSets,
      SharedIndexInformer<Pod> pods,
      int workers) {
    this.client = client;
    this.replicaSets = replicaSets;
    this.pods = pods;
    this.queue = new WorkQueue("replicaset-controller", workers, this::sync);
    replicaSets.addEventHandler(Informers.onAny(rs -> queue.add(ControllerRefs.keyOf(rs))));
    pods.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod pod) {
            ownerKey(pod).ifPresent(key -> {
              expectations.creationObserved(key, pod.getMetadata().getName());
              queue.add(key);
            });
          }

          @Override
          public void onUpdate(Pod before, Pod after) {
            if (before.getMetadata().getDeletionTimestamp() == null && after.getMetadata().getDeletionTimestamp() != null) {
              // as upstream: a pod marked for deletion counts as deleted now, so its replacement
              // is created at once rather than when the kubelet removes it
              ownerKey(after).ifPresent(key -> expectations.deletionObserved(key, after.getMetadata().getName()));
            }
            ownerKey(after).ifPresent(queue::add);
            if (!Objects.equals(ownerKey(before), ownerKey(after))) {
              ownerKey(before).ifPresent(queue::add);
            }
          }

          @Override
          public void onDelete(Pod pod, boolean finalStateUnknown) {
            ownerKey(pod).ifPresent(key -> {
              expectations.deletionObserved(key, pod.getMetadata().getName());
              queue.add(key);
            });
          }
        });
  }

  void start() {
    queue.start();
  }

  @Override
  public void close() {
    queue.close();
  }

  private static Optional<String> ownerKey(Pod pod) {
    return ControllerRefs.controllerOf(pod, "ReplicaSet").map(ref -> ControllerRefs.keyOf(pod, ref));
  }

  private void sync(String key) {
    ReplicaSet rs = replicaSets.getIndexer().getByKey(key);
    if (rs == null) {
      expectations.forget(key);
      return;
    }
    Instant now = Instant.now();
    List<Pod> active =
        pods.getIndexer().byIndex(ControllerRefs.BY_CONTROLLER_UID, rs.getMetadata().getUid()).stream()
            .filter(Pods::isActive)
            .toList();
    RuntimeException manageFailure = null;
    if (rs.getMetadata().getDeletionTimestamp() == null && expectations.satisfied(key)) {
      try {
        manageReplicas(key, rs, active);
      } catch (RuntimeException e) {
        manageFailure = e; // still report status, as upstream does, then retry
      }
    }
    ReplicaSetStatus status = calculateStatus(rs, active, now, manageFailure);
    if (!SemanticEquality.same(status, rs.getStatus())) {
      ReplicaSet copy = client.getKubernetesSerialization().clone(rs);
      copy.setStatus(status);
      client.apps().replicaSets().resource(copy).updateStatus();
    }
    if (manageFailure != null) {
      throw manageFailure;
    }
    Pods.untilNextAvailable(active, rs.getSpec().getMinReadySeconds() == null ? 0 : rs.getSpec().getMinReadySeconds(), now)
        .ifPresent(after -> queue.addAfter(key, after));
  }

  private void manageReplicas(String key, ReplicaSet rs, List<Pod> active) {
    int diff = active.size() - ReplicaSets.desired(rs);
    if (diff < 0) {
      createPods(key, rs, Math.min(-diff, BURST));
    } else if (diff > 0) {
      List<Pod> ranked = new ArrayList<>(active);
      ranked.sort(PodDeletionOrder.FIRST_TO_DELETE);
      deletePods(key, ranked.subList(0, Math.min(diff, BURST)));
    }
  }

  private void createPods(String key, ReplicaSet rs, int count) {
    List<Pod> toCreate = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      toCreate.add(newPod(rs));
    }
    expectations.expectCreations(key, toCreate.stream().map(p -> p.getMetadata().getName()).toList());
    KubernetesClientException failure = null;
    for (Pod pod : toCreate) {
      try {
        client.pods().resource(pod).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409 && ownedBy(rs, pod)) {
          continue; // a retried create whose first try had landed: the pod is ours, as it is upstream's
        }
        expectations.creationObserved(key, pod.getMetadata().getName());
        failure = e;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * Whether the pod named like {@code pod} exists and belongs to {@code rs}. The sandbox names pods
   * itself (upstream leaves it to the API server through generateName), so a create the client
   * retried after its first try had landed meets "already exists" for the very pod it made;
   * upstream's controller never sees that, and counting it as a refusal would be a false fault.
   */
  private boolean ownedBy(ReplicaSet rs, Pod pod) {
    Pod existing = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
        .get();
    return existing != null && existing.getMetadata().getOwnerReferences() != null && existing.getMetadata()
        .getOwnerReferences().stream().anyMatch(o -> rs.getMetadata().getUid().equals(o.getUid()));
  }

  private void deletePods(String key, List<Pod> victims) {
    expectations.expectDeletions(key, victims.stream().map(p -> p.getMetadata().getName()).toList());
    for (Pod pod : victims) {
      try {
        // with the pod's own grace period, as upstream's pod control: it terminates gracefully
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
      } catch (KubernetesClientException e) {
        expectations.deletionObserved(key, pod.getMetadata().getName());
        throw e;
      }
    }
  }

  private Pod newPod(ReplicaSet rs) {
    PodTemplateSpec template = client.getKubernetesSerialization().clone(rs.getSpec().getTemplate());
    Map<String, String> labels = template.getMetadata() == null ? null : template.getMetadata().getLabels();
    Map<String, String> annotations = template.getMetadata() == null ? null : template.getMetadata().getAnnotations();
    return new PodBuilder()
        .withNewMetadata()
        .withName(rs.getMetadata().getName() + "-" + Pods.randomSuffix())
        .withNamespace(rs.getMetadata().getNamespace())
        .withLabels(labels)
        .withAnnotations(annotations)
        .withOwnerReferences(ControllerRefs.controlledBy(rs))
        .endMetadata()
        .withSpec(template.getSpec())
        .build();
  }

  private static ReplicaSetStatus calculateStatus(ReplicaSet rs, List<Pod> active, Instant now,
      RuntimeException manageFailure) {
    Map<String, String> templateLabels =
        rs.getSpec().getTemplate() == null || rs.getSpec().getTemplate().getMetadata() == null
            ? Map.of()
            : Objects.requireNonNullElse(rs.getSpec().getTemplate().getMetadata().getLabels(), Map.of());
    int minReady = rs.getSpec().getMinReadySeconds() == null ? 0 : rs.getSpec().getMinReadySeconds();
    int fullyLabeled = 0;
    int ready = 0;
    int available = 0;
    for (Pod pod : active) {
      Map<String, String> labels = Objects.requireNonNullElse(pod.getMetadata().getLabels(), Map.of());
      if (labels.entrySet().containsAll(templateLabels.entrySet())) {
        fullyLabeled++;
      }
      if (Readiness.isPodReady(pod)) {
        ready++;
      }
      if (Pods.isAvailable(pod, minReady, now)) {
        available++;
      }
    }
    ReplicaSetStatus status = new ReplicaSetStatus();
    status.setReplicas(active.size());
    status.setFullyLabeledReplicas(fullyLabeled);
    status.setReadyReplicas(ready);
    status.setAvailableReplicas(available);
    status.setObservedGeneration(rs.getMetadata().getGeneration());
    status.setConditions(conditions(rs, active, manageFailure, now));
    return status;
  }

  /**
   * Upstream's ReplicaFailure condition: set (reason FailedCreate or FailedDelete, the API's
   * message) when managing pods failed, e.g. a ResourceQuota refused a pod, and removed once a
   * sync manages them again; kept as it was while that is not decided.
   */
  private static List<ReplicaSetCondition> conditions(ReplicaSet rs, List<Pod> active,
      RuntimeException manageFailure, Instant now) {
    List<ReplicaSetCondition> conditions = new ArrayList<>(rs.getStatus() == null || rs.getStatus().getConditions()
        == null ? List.of() : rs.getStatus().getConditions());
    boolean failing = conditions.stream().anyMatch(c -> REPLICA_FAILURE.equals(c.getType()));
    if (manageFailure != null && !failing) {
      String message = manageFailure instanceof KubernetesClientException k && k.getStatus() != null
          && k.getStatus().getMessage() != null ? k.getStatus().getMessage() : String.valueOf(manageFailure.getMessage());
      conditions.add(new ReplicaSetConditionBuilder().withType(REPLICA_FAILURE).withStatus("True")
          .withReason(active.size() < ReplicaSets.desired(rs) ? "FailedCreate" : "FailedDelete")
          .withMessage(message).withLastTransitionTime(Timestamps.format(now)).build());
    } else if (manageFailure == null && failing && active.size() == ReplicaSets.desired(rs)) {
      conditions.removeIf(c -> REPLICA_FAILURE.equals(c.getType()));
    }
    return conditions.isEmpty() ? null : conditions;
  }
}
