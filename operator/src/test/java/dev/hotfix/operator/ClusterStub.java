package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.TargetKind;
import dev.hotfix.json.KubernetesJson;
import dev.hotfix.rollout.DeploymentPatch;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A cluster for pre-flight without a server: the objects a test puts in, a dry run that applies
 * the patch as the server would (or refuses it with the test's message), and a record of the dry
 * runs asked for.
 */
final class ClusterStub implements ClusterProbe {
  final Map<String, ReplicaSet> replicaSets = new HashMap<>();
  /** Targets the server has ({@code Kind/name}) and their generation, whatever the test's observation shows. */
  final Map<String, Long> targets = new HashMap<>();
  final Set<String> configMaps = new HashSet<>();
  final Set<String> secrets = new HashSet<>();
  final List<ResourceQuota> quotas = new ArrayList<>();
  final List<String> dryRuns = new ArrayList<>();
  long pods;
  /** When set, the dry run is refused with this message. */
  String refusal;
  /** Whether the operator may read Secrets. */
  boolean secretsReadable = true;

  @Override
  public Deployment dryRun(Deployment base, DeploymentPatch patch) throws DryRunRefused {
    dryRuns.add(patch.toJson());
    if (refusal != null) {
      throw new DryRunRefused(refusal);
    }
    try {
      var patched = JsonPatch.apply(KubernetesJson.MAPPER.readTree(patch.toJson()),
          KubernetesJson.MAPPER.valueToTree(base));
      return KubernetesJson.MAPPER.convertValue(patched, Deployment.class);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Optional<ReplicaSet> revision(HasMetadata workload, String name) {
    return Optional.ofNullable(replicaSets.get(name));
  }

  @Override
  public OptionalLong targetGeneration(TargetKind kind, String namespace, String name) {
    Long generation = targets.get(kind + "/" + name);
    return generation == null ? OptionalLong.empty() : OptionalLong.of(generation);
  }

  @Override
  public Presence configMap(String namespace, String name) {
    return configMaps.contains(name) ? Presence.PRESENT : Presence.MISSING;
  }

  @Override
  public Presence secret(String namespace, String name) {
    return !secretsReadable ? Presence.NOT_ALLOWED_TO_LOOK : secrets.contains(name) ? Presence.PRESENT
        : Presence.MISSING;
  }

  @Override
  public List<ResourceQuota> resourceQuotas(String namespace) {
    return quotas;
  }

  @Override
  public long podsCountedByQuota(String namespace) {
    return pods;
  }
}
