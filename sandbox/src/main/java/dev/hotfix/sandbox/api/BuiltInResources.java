package dev.hotfix.sandbox.api;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The built-in resources the sandbox serves, as a real API server's discovery lists them (the
 * subset that the operator, the simulated controllers and everyday {@code kubectl} use).
 */
public final class BuiltInResources {
  private static final List<String> ALL = List.of("all");
  private static final List<String> NONE = List.of();
  private static final Set<String> STATUS = Set.of("status");
  private static final Set<String> STATUS_AND_SCALE = Set.of("status", "scale");

  private static final List<ResourceType> TYPES = List.of(
      stored("", "pods", "Pod", true, ALL, Set.of("status", "log"), "po"),
      stored("", "podtemplates", "PodTemplate", true, NONE, Set.of()),
      stored("", "services", "Service", true, ALL, STATUS, "svc"),
      stored("", "configmaps", "ConfigMap", true, NONE, Set.of(), "cm"),
      stored("", "secrets", "Secret", true, NONE, Set.of()),
      stored("", "namespaces", "Namespace", false, NONE, STATUS, "ns"),
      stored("", "events", "Event", true, NONE, Set.of(), "ev"),
      stored("", "serviceaccounts", "ServiceAccount", true, NONE, Set.of(), "sa"),
      stored("", "endpoints", "Endpoints", true, NONE, Set.of(), "ep"),
      stored("", "nodes", "Node", false, NONE, STATUS, "no"),
      stored("", "resourcequotas", "ResourceQuota", true, NONE, STATUS, "quota"),
      stored("", "persistentvolumeclaims", "PersistentVolumeClaim", true, NONE, STATUS, "pvc"),
      stored("apps", "deployments", "Deployment", true, ALL, STATUS_AND_SCALE, "deploy"),
      stored("apps", "replicasets", "ReplicaSet", true, ALL, STATUS_AND_SCALE, "rs"),
      stored("apps", "statefulsets", "StatefulSet", true, ALL, STATUS_AND_SCALE, "sts"),
      stored("apps", "daemonsets", "DaemonSet", true, ALL, STATUS, "ds"),
      stored("apps", "controllerrevisions", "ControllerRevision", true, NONE, Set.of()),
      stored("batch", "jobs", "Job", true, ALL, STATUS),
      type("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true, ALL, STATUS,
          ResourceType.CRUD_VERBS, "hpa"),
      stored("coordination.k8s.io", "leases", "Lease", true, NONE, Set.of()),
      stored("events.k8s.io", "events", "Event", true, NONE, Set.of(), "ev"),
      stored("rbac.authorization.k8s.io", "roles", "Role", true, NONE, Set.of()),
      stored("rbac.authorization.k8s.io", "rolebindings", "RoleBinding", true, NONE, Set.of()),
      stored("rbac.authorization.k8s.io", "clusterroles", "ClusterRole", false, NONE, Set.of()),
      stored("rbac.authorization.k8s.io", "clusterrolebindings", "ClusterRoleBinding", false, NONE, Set.of()),
      stored("apiextensions.k8s.io", "customresourcedefinitions", "CustomResourceDefinition", false, NONE,
          STATUS, "crd", "crds"),
      stored("admissionregistration.k8s.io", "mutatingwebhookconfigurations", "MutatingWebhookConfiguration", false,
          NONE, Set.of()),
      stored("admissionregistration.k8s.io", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration",
          false, NONE, Set.of()),
      review("authorization.k8s.io", "selfsubjectrulesreviews", "SelfSubjectRulesReview", false),
      review("authorization.k8s.io", "selfsubjectaccessreviews", "SelfSubjectAccessReview", false),
      review("authorization.k8s.io", "subjectaccessreviews", "SubjectAccessReview", false),
      review("authorization.k8s.io", "localsubjectaccessreviews", "LocalSubjectAccessReview", true),
      review("authentication.k8s.io", "selfsubjectreviews", "SelfSubjectReview", false));

  private BuiltInResources() {
  }

  /** Every built-in type, in discovery order. */
  public static List<ResourceType> all() {
    return TYPES;
  }

  private static ResourceType stored(String group, String plural, String kind, boolean namespaced,
      List<String> categories, Set<String> subresources, String... shortNames) {
    return type(group, "v1", plural, kind, namespaced, categories, subresources, ResourceType.CRUD_VERBS, shortNames);
  }

  /** Access reviews and {@code kubectl auth whoami}'s review are only created (and answered), never stored. */
  private static ResourceType review(String group, String plural, String kind, boolean namespaced) {
    return type(group, "v1", plural, kind, namespaced, NONE, Set.of(), List.of("create"));
  }

  private static ResourceType type(String group, String version, String plural, String kind, boolean namespaced,
      List<String> categories, Set<String> subresources, List<String> verbs, String... shortNames) {
    return new ResourceType(group, version, plural, kind, namespaced, verbs, Arrays.asList(shortNames), categories,
        subresources, List.of(), null);
  }
}
