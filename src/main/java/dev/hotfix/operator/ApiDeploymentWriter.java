package dev.hotfix.operator;

import dev.hotfix.rollout.DeploymentPatch;
import dev.hotfix.rollout.HotfixAnnotations;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

/** Writes Deployments through the API and primes the informer cache with the result. */
final class ApiDeploymentWriter implements DeploymentWriter {
  private final KubernetesClient client;
  private final InformerEventSource<Deployment, ?> deployments;
  private final WriteSeam seam;

  ApiDeploymentWriter(KubernetesClient client, InformerEventSource<Deployment, ?> deployments, WriteSeam seam) {
    this.client = client;
    this.deployments = deployments;
    this.seam = seam;
  }

  @Override
  public Deployment patch(Deployment base, DeploymentPatch patch) throws WriteConflict {
    PatchContext context = new PatchContext.Builder().withPatchType(PatchType.JSON)
        .withFieldManager(HotfixAnnotations.FIELD_MANAGER).build();
    seam.beforeDeploymentPatch(base, patch);
    try {
      // resource(base), not withName(...): a named patch would GET the Deployment first, one
      // request per write for nothing (the patch carries its own resourceVersion test)
      Deployment stored = client.apps().deployments().inNamespace(base.getMetadata().getNamespace())
          .resource(base).patch(context, patch.toJson());
      // Our own write must be visible to the next decision even before its watch event arrives.
      deployments.handleRecentResourceUpdate(ResourceID.fromResource(stored), stored, base);
      seam.afterDeploymentPatch(stored, patch);
      return stored;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        throw new WriteConflict("Deployment " + base.getMetadata().getName() + " changed since it was read");
      }
      if (e.getCode() == 422) {
        throw new WriteRefused(e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
            : e.getMessage(), e);
      }
      throw e;
    }
  }
}
