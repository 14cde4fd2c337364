package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.TargetKind;
import dev.hotfix.rollout.DeploymentPatch;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What pre-flight asks the API server itself rather than the informer caches: a cache may not yet
 * show a creation or a deletion, and only the server can say whether it would accept a write.
 */
interface ClusterProbe {

  /** Whether an object exists, as far as the operator may look. */
  enum Presence { PRESENT, MISSING, NOT_ALLOWED_TO_LOOK }

  /** The server refused the dry run (admission, validation): the message says why. */
  final class DryRunRefused extends Exception {
    DryRunRefused(String message) {
      super(message);
    }
  }

  /**
   * Sends {@code patch} with {@code dryRun=All}: the server admits it as it would the write
   * (validation, mutating and validating webhooks, told it is a dry run) and stores nothing.
   *
   * @param base the target (a StatefulSet or DaemonSet as its {@code WorkloadView})
   * @return the target as the server would have stored it (the StatefulSet or DaemonSet itself)
   * @throws WriteConflict when {@code base} is no longer the stored version
   * @throws DryRunRefused when the server refuses the write
   */
  HasMetadata dryRun(Deployment base, DeploymentPatch patch) throws WriteConflict, DryRunRefused;

  /**
   * A revision of {@code workload} as the server has it now: a Deployment's ReplicaSet, or a
   * StatefulSet's or DaemonSet's ControllerRevision as its {@code WorkloadView} shows it.
   */
  Optional<ReplicaSet> revision(HasMetadata workload, String name);

  /**
   * The target's {@code metadata.generation} on the server, empty when it does not exist: asked
   * before refusing a Hotfix for what its cached target shows (or for its absence), since a
   * target created or changed in the same apply or sync may reach the informer after the Hotfix.
   */
  OptionalLong targetGeneration(TargetKind kind, String namespace, String name);

  /** Whether the ConfigMap exists. */
  Presence configMap(String namespace, String name);

  /** Whether the Secret exists (the operator may not be allowed to read Secrets: then it cannot tell). */
  Presence secret(String namespace, String name);

  /** The namespace's ResourceQuotas. */
  List<ResourceQuota> resourceQuotas(String namespace);

  /** The namespace's pods a pod quota counts: not finished, not being deleted. */
  long podsCountedByQuota(String namespace);
}
