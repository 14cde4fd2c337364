package dev.hotfix.operator;

import dev.hotfix.rollout.DeploymentPatch;
import dev.hotfix.rollout.HotfixAnnotations;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import dev.hotfix.api.v1alpha1.TargetKind;
import dev.hotfix.rollout.WorkloadView;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** {@link ClusterProbe} through the API: single reads by name, one list per namespace where needed. */
final class ApiClusterProbe implements ClusterProbe {
  private static final Set<String> FINISHED = Set.of("Succeeded", "Failed");

  private final KubernetesClient client;

  ApiClusterProbe(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public HasMetadata dryRun(Deployment base, DeploymentPatch patch) throws WriteConflict, DryRunRefused {
    PatchContext context = new PatchContext.Builder().withPatchType(PatchType.JSON)
        .withFieldManager(HotfixAnnotations.FIELD_MANAGER).build();
    try {
      return Targets.resource(client, base).dryRun().patch(context, patch.toJson());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        throw new WriteConflict(WorkloadView.kindOf(base) + " " + base.getMetadata().getName()
            + " changed since it was read");
      }
      String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
          : e.getMessage();
      // 4xx: admission or validation said no; a webhook under failurePolicy Fail that cannot be
      // called answers 500 (other server errors are retried as any failed reconcile)
      if (e.getCode() >= 400 && e.getCode() < 500 || e.getCode() == 500 && message.contains("failed calling webhook")) {
        throw new DryRunRefused("HTTP " + e.getCode() + ": " + message);
      }
      throw e;
    }
  }

  @Override
  public Optional<ReplicaSet> revision(HasMetadata workload, String name) {
    String namespace = workload.getMetadata().getNamespace();
    if (WorkloadView.kindOf(workload) == TargetKind.Deployment) {
      return Optional.ofNullable(client.apps().replicaSets().inNamespace(namespace).withName(name).get());
    }
    return Optional.ofNullable(client.apps().controllerRevisions().inNamespace(namespace).withName(name).get())
        .map(r -> WorkloadView.revision(workload, r));
  }

  @Override
  public OptionalLong targetGeneration(TargetKind kind, String namespace, String name) {
    HasMetadata target = Targets.read(client, kind, namespace, name);
    if (target == null) {
      return OptionalLong.empty();
    }
    Long generation = target.getMetadata().getGeneration();
    return OptionalLong.of(generation == null ? 0 : generation);
  }

  @Override
  public Presence configMap(String namespace, String name) {
    return presence(client.configMaps().inNamespace(namespace).withName(name));
  }

  @Override
  public Presence secret(String namespace, String name) {
    return presence(client.secrets().inNamespace(namespace).withName(name));
  }

  private static Presence presence(Resource<?> object) {
    try {
      return object.get() == null ? Presence.MISSING : Presence.PRESENT;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        return Presence.NOT_ALLOWED_TO_LOOK;
      }
      throw e;
    }
  }

  @Override
  public List<ResourceQuota> resourceQuotas(String namespace) {
    return client.resourceQuotas().inNamespace(namespace).list().getItems();
  }

  @Override
  public long podsCountedByQuota(String namespace) {
    List<Pod> pods = client.pods().inNamespace(namespace).list().getItems();
    return pods.stream()
        .filter(p -> p.getStatus() == null || !FINISHED.contains(p.getStatus().getPhase()))
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .count();
  }
}
