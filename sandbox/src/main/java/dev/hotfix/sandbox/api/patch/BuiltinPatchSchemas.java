package dev.hotfix.sandbox.api.patch;

import dev.hotfix.sandbox.api.patch.PatchSchema.Field;
import java.util.Map;
import java.util.Set;

/**
 * Upstream's patch metadata for the built-in kinds kubectl patches (k8s.io/api struct tags).
 * {@code retainKeys} needs no entry: the {@code $retainKeys} directive carries the key list itself
 * (kubectl sends it for {@code spec.strategy} and for each volume), so the engine honours it
 * wherever it appears.
 */
final class BuiltinPatchSchemas {
  /**
   * API groups served by kube-apiserver itself; strategic merge patch is defined for their kinds
   * and refused (415) for custom resources.
   */
  private static final Set<String> BUILTIN_GROUPS = Set.of("", "apps", "batch", "autoscaling", "policy",
      "networking.k8s.io", "rbac.authorization.k8s.io", "coordination.k8s.io", "storage.k8s.io",
      "apiextensions.k8s.io", "admissionregistration.k8s.io", "scheduling.k8s.io", "node.k8s.io",
      "discovery.k8s.io", "events.k8s.io", "certificates.k8s.io", "authentication.k8s.io",
      "authorization.k8s.io", "flowcontrol.apiserver.k8s.io", "apiregistration.k8s.io", "resource.k8s.io");

  private static final PatchSchema OBJECT_META = PatchSchema.of(Map.of(
      "finalizers", Field.mergedPrimitives(),
      "ownerReferences", Field.mergedByKey("uid")));

  private static final PatchSchema CONTAINER = PatchSchema.of(Map.of(
      "env", Field.mergedByKey("name"),
      "ports", Field.mergedByKey("containerPort"),
      "volumeMounts", Field.mergedByKey("mountPath"),
      "volumeDevices", Field.mergedByKey("devicePath")));

  private static final PatchSchema POD_SPEC = PatchSchema.of(Map.of(
      "containers", Field.mergedByKey("name", CONTAINER),
      "initContainers", Field.mergedByKey("name", CONTAINER),
      "ephemeralContainers", Field.mergedByKey("name", CONTAINER),
      "volumes", Field.mergedByKey("name"),
      "imagePullSecrets", Field.mergedByKey("name"),
      "hostAliases", Field.mergedByKey("ip"),
      "topologySpreadConstraints", Field.mergedByKey("topologyKey"),
      "resourceClaims", Field.mergedByKey("name"),
      "schedulingGates", Field.mergedByKey("name")));

  private static final PatchSchema POD_TEMPLATE = PatchSchema.of(Map.of(
      "metadata", Field.nested(OBJECT_META),
      "spec", Field.nested(POD_SPEC)));

  /** The status of most workloads: conditions keyed by type. */
  private static final PatchSchema CONDITIONS_STATUS = PatchSchema.of(Map.of(
      "conditions", Field.mergedByKey("type")));

  private static final PatchSchema POD_STATUS = PatchSchema.of(Map.of(
      "conditions", Field.mergedByKey("type"),
      "podIPs", Field.mergedByKey("ip"),
      "hostIPs", Field.mergedByKey("ip")));

  /** Deployment, ReplicaSet, StatefulSet, DaemonSet and Job: a pod template under spec. */
  private static final PatchSchema TEMPLATED_WORKLOAD = kind(
      PatchSchema.of(Map.of("template", Field.nested(POD_TEMPLATE))), CONDITIONS_STATUS);

  /** Kinds with no metadata beyond ObjectMeta's (ConfigMap, Secret, and the rest). */
  private static final PatchSchema PLAIN = kind(PatchSchema.OPAQUE, PatchSchema.OPAQUE);

  private static final Map<String, PatchSchema> KINDS = Map.of(
      "apps/v1/Deployment", TEMPLATED_WORKLOAD,
      "apps/v1/ReplicaSet", TEMPLATED_WORKLOAD,
      "apps/v1/StatefulSet", TEMPLATED_WORKLOAD,
      "apps/v1/DaemonSet", TEMPLATED_WORKLOAD,
      "batch/v1/Job", TEMPLATED_WORKLOAD,
      "v1/Pod", kind(POD_SPEC, POD_STATUS),
      "v1/Service", kind(PatchSchema.of(Map.of("ports", Field.mergedByKey("port"))), CONDITIONS_STATUS),
      "v1/Namespace", kind(PatchSchema.OPAQUE, CONDITIONS_STATUS));

  private BuiltinPatchSchemas() {
  }

  static boolean isBuiltin(String apiVersion) {
    return BUILTIN_GROUPS.contains(group(apiVersion));
  }

  /** The metadata of a built-in kind; ObjectMeta's alone for kinds without a table entry. */
  static PatchSchema forKind(String apiVersion, String kind) {
    return KINDS.getOrDefault(apiVersion + "/" + kind, PLAIN);
  }

  private static String group(String apiVersion) {
    int slash = apiVersion == null ? -1 : apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  private static PatchSchema kind(PatchSchema spec, PatchSchema status) {
    return PatchSchema.of(Map.of(
        "metadata", Field.nested(OBJECT_META),
        "spec", Field.nested(spec),
        "status", Field.nested(status)));
  }
}
