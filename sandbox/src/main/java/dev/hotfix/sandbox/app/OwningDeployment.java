package dev.hotfix.sandbox.app;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;

/**
 * The {@code deployment} label of a pod's series: what a dashboard or a Hotfix check filters on.
 *
 * <p>A Deployment names its ReplicaSets {@code <deployment>-<pod-template-hash>}, so the
 * Deployment's name is the owning ReplicaSet's name without that suffix. A pod without a
 * ReplicaSet owner falls back to its {@code app} label, then to its own name.
 */
final class OwningDeployment {

  private static final String TEMPLATE_HASH_LABEL = "pod-template-hash";

  private OwningDeployment() {}

  /** The deployment name of a pod, never null. */
  static String nameOf(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    String replicaSet = replicaSetOwner(pod.getMetadata().getOwnerReferences());
    if (replicaSet != null) {
      String hash = labels == null ? null : labels.get(TEMPLATE_HASH_LABEL);
      String suffix = "-" + hash;
      return hash != null && !hash.isEmpty() && replicaSet.endsWith(suffix)
          ? replicaSet.substring(0, replicaSet.length() - suffix.length())
          : replicaSet;
    }
    String app = labels == null ? null : labels.get("app");
    return app != null && !app.isEmpty() ? app : pod.getMetadata().getName();
  }

  private static String replicaSetOwner(List<OwnerReference> owners) {
    if (owners == null) {
      return null;
    }
    return owners.stream()
        .filter(owner -> "ReplicaSet".equals(owner.getKind()))
        .map(OwnerReference::getName)
        .findFirst()
        .orElse(null);
  }
}
