package dev.hotfix.operator;

import dev.hotfix.rollout.DeploymentPatch;
import dev.hotfix.rollout.HotfixAnnotations;
import dev.hotfix.api.v1alpha1.TargetKind;
import dev.hotfix.json.KubernetesJson;
import dev.hotfix.rollout.WorkloadView;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

/**
 * Writes targets through the API (a Deployment, or the StatefulSet or DaemonSet behind a
 * {@link WorkloadView}) and primes the informer cache of its kind with the result.
 */
final class ApiDeploymentWriter implements DeploymentWriter {
  private final KubernetesClient client;
  private final Map<TargetKind, InformerEventSource<? extends HasMetadata, ?>> caches;
  private final WriteSeam seam;

  ApiDeploymentWriter(KubernetesClient client, Map<TargetKind, InformerEventSource<? extends HasMetadata, ?>> caches,
      WriteSeam seam) {
    this.client = client;
    this.caches = Map.copyOf(caches);
    this.seam = seam;
  }

  @Override
  public Deployment patch(Deployment base, DeploymentPatch patch) throws WriteConflict {
    PatchContext context = new PatchContext.Builder().withPatchType(PatchType.JSON)
        .withFieldManager(HotfixAnnotations.FIELD_MANAGER).build();
    seam.beforeDeploymentPatch(base, patch);
    TargetKind kind = WorkloadView.kindOf(base);
    try {
      // by the object, not withName(...): a named patch would GET it first, one request per
      // write for nothing (the patch carries its own resourceVersion test)
      HasMetadata stored = Targets.resource(client, base).patch(context, patch.toJson());
      // Our own write must be visible to the next decision even before its watch event arrives.
      prime(kind, stored, base);
      Deployment view = stored instanceof Deployment d ? d
          : WorkloadView.revisions(stored, List.of(), List.of(), List.of()).deployment();
      seam.afterDeploymentPatch(view, patch);
      return view;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        throw new WriteConflict(kind + " " + base.getMetadata().getName() + " changed since it was read");
      }
      if (e.getCode() == 422) {
        throw new WriteRefused(e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
            : e.getMessage(), e);
      }
      throw e;
    }
  }

  @SuppressWarnings("unchecked")
  private void prime(TargetKind kind, HasMetadata stored, Deployment base) {
    InformerEventSource<HasMetadata, ?> cache = (InformerEventSource<HasMetadata, ?>) caches.get(kind);
    if (cache == null) {
      return;
    }
    HasMetadata before = stored instanceof Deployment ? base : stub(stored, base);
    cache.handleRecentResourceUpdate(ResourceID.fromResource(stored), stored, before);
  }

  /** The version the patch was built against, as an object of the stored kind (only its metadata is read). */
  private static HasMetadata stub(HasMetadata stored, Deployment base) {
    HasMetadata before = KubernetesJson.MAPPER.convertValue(KubernetesJson.MAPPER.createObjectNode(),
        stored.getClass());
    before.setMetadata(base.getMetadata());
    return before;
  }
}
