package dev.hotfix.operator;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

/** Writes canary ReplicaSets through the API and primes the informer cache with a created one. */
final class ApiCanaryWriter implements CanaryWriter {
  private final KubernetesClient client;
  private final InformerEventSource<ReplicaSet, ?> replicaSets;

  ApiCanaryWriter(KubernetesClient client, InformerEventSource<ReplicaSet, ?> replicaSets) {
    this.client = client;
    this.replicaSets = replicaSets;
  }

  @Override
  public ReplicaSet create(ReplicaSet canary) throws WriteConflict {
    try {
      ReplicaSet stored = client.apps().replicaSets().inNamespace(canary.getMetadata().getNamespace())
          .resource(canary).create();
      replicaSets.handleRecentResourceCreate(ResourceID.fromResource(stored), stored);
      return stored;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        throw new WriteConflict("ReplicaSet " + canary.getMetadata().getName() + " exists already");
      }
      if (e.getCode() == 422) {
        throw new WriteRefused(e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
            : e.getMessage(), e);
      }
      throw e;
    }
  }

  @Override
  public void delete(ReplicaSet canary) {
    var replicaSet = client.apps().replicaSets().inNamespace(canary.getMetadata().getNamespace())
        .withName(canary.getMetadata().getName());
    // scaled to zero first: a ReplicaSet controller whose cache still shows one replica when the
    // garbage collector marks the pod would otherwise start a replacement canary pod (as kubectl's
    // old reaper did); then foreground, so the ReplicaSet stays, marked, until its pods are gone
    try {
      replicaSet.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":0}}");
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
      return;
    }
    replicaSet.withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();
  }

  @Override
  public boolean exists(String namespace, String name) {
    return client.apps().replicaSets().inNamespace(namespace).withName(name).get() != null;
  }
}
