package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.TargetKind;
import dev.hotfix.rollout.WorkloadView;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;

/** The API resource of a target, whatever its kind: for a write to it, or a read by name. */
public final class Targets {
  private Targets() {
  }

  /** The target as the API server stores it now (not a cache's copy), null when it does not exist. */
  public static HasMetadata read(KubernetesClient client, TargetKind kind, String namespace, String name) {
    return switch (kind) {
      case Deployment -> client.apps().deployments().inNamespace(namespace).withName(name).get();
      case StatefulSet -> client.apps().statefulSets().inNamespace(namespace).withName(name).get();
      case DaemonSet -> client.apps().daemonSets().inNamespace(namespace).withName(name).get();
    };
  }

  /**
   * The stored object behind {@code target}: the Deployment itself, or the StatefulSet or
   * DaemonSet a {@link WorkloadView} stands for, addressed by name (a JSON Patch needs nothing else:
   * it carries its own resourceVersion test).
   */
  static Resource<? extends HasMetadata> resource(KubernetesClient client, Deployment target) {
    String namespace = target.getMetadata().getNamespace();
    ObjectMeta meta = new ObjectMetaBuilder().withName(target.getMetadata().getName()).withNamespace(namespace)
        .withResourceVersion(target.getMetadata().getResourceVersion()).withUid(target.getMetadata().getUid())
        .build();
    return switch (WorkloadView.kindOf(target)) {
      case Deployment -> client.apps().deployments().inNamespace(namespace).resource(target);
      case StatefulSet -> {
        StatefulSet set = new StatefulSet();
        set.setMetadata(meta);
        yield client.apps().statefulSets().inNamespace(namespace).resource(set);
      }
      case DaemonSet -> {
        DaemonSet ds = new DaemonSet();
        ds.setMetadata(meta);
        yield client.apps().daemonSets().inNamespace(namespace).resource(ds);
      }
    };
  }
}
