package dev.hotfix.sandbox.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * Cascading deletion, the part of upstream's garbage collector the sandbox needs: when a
 * Deployment or ReplicaSet is deleted, what it controlled is deleted too (the mock API server
 * does not do it), so {@code kubectl delete deployment} leaves no pods behind. Keyed by the
 * owner's uid, which the informers index.
 */
final class GarbageCollector implements AutoCloseable {

  private final KubernetesClient client;
  private final SharedIndexInformer<ReplicaSet> replicaSets;
  private final SharedIndexInformer<Pod> pods;
  private final WorkQueue queue;

  GarbageCollector(
      KubernetesClient client,
      SharedIndexInformer<Deployment> deployments,
      SharedIndexInformer<ReplicaSet> replicaSets,
      SharedIndexInformer<Pod> pods) {
    this.client = client;
    this.replicaSets = replicaSets;
    this.pods = pods;
    this.queue = new WorkQueue("garbage-collector", 1, this::collect);
    deployments.addEventHandler(Handlers.onDelete(this::ownerDeleted));
    replicaSets.addEventHandler(Handlers.onDelete(this::ownerDeleted));
  }

  void start() {
    queue.start();
  }

  @Override
  public void close() {
    queue.close();
  }

  private void ownerDeleted(HasMetadata owner) {
    queue.add(owner.getMetadata().getUid());
  }

  private void collect(String ownerUid) {
    for (ReplicaSet rs : replicaSets.getIndexer().byIndex(ControllerRefs.BY_CONTROLLER_UID, ownerUid)) {
      client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace())
          .withName(rs.getMetadata().getName()).delete();
    }
    for (Pod pod : pods.getIndexer().byIndex(ControllerRefs.BY_CONTROLLER_UID, ownerUid)) {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
          .withGracePeriod(0).delete();
    }
  }
}
