package dev.hotfix.sandbox.api.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Upstream's defaulting functions (k8s.io/kubernetes/pkg/apis/{apps,core}/v1/defaults.go) for the
 * workloads the sandbox runs, limited to the fields that matter to rollouts and to the pod
 * template hash: a Deployment stored here reads back as it would from a real cluster, so the
 * operator's diffs and the simulated controller's template hashes behave the same.
 */
final class WorkloadDefaults {
  private WorkloadDefaults() {
  }

  static void deployment(ObjectNode deployment) {
    ObjectNode spec = deployment.withObjectProperty("spec");
    putIfAbsent(spec, "replicas", 1);
    ObjectNode strategy = spec.withObjectProperty("strategy");
    if (!strategy.hasNonNull("type")) {
      strategy.put("type", "RollingUpdate");
    }
    if ("RollingUpdate".equals(strategy.get("type").asText())) {
      ObjectNode rollingUpdate = strategy.withObjectProperty("rollingUpdate");
      putIfAbsent(rollingUpdate, "maxUnavailable", "25%");
      putIfAbsent(rollingUpdate, "maxSurge", "25%");
    }
    putIfAbsent(spec, "revisionHistoryLimit", 10);
    putIfAbsent(spec, "progressDeadlineSeconds", 600);
    template(spec);
  }

  /** SetDefaults_StatefulSet. */
  static void statefulSet(ObjectNode statefulSet) {
    ObjectNode spec = statefulSet.withObjectProperty("spec");
    putIfAbsent(spec, "replicas", 1);
    putIfAbsent(spec, "podManagementPolicy", "OrderedReady");
    ObjectNode strategy = spec.withObjectProperty("updateStrategy");
    if (!strategy.hasNonNull("type")) {
      strategy.put("type", "RollingUpdate");
    }
    if ("RollingUpdate".equals(strategy.get("type").asText())) {
      putIfAbsent(strategy.withObjectProperty("rollingUpdate"), "partition", 0);
    }
    putIfAbsent(spec, "revisionHistoryLimit", 10);
    ObjectNode retention = spec.withObjectProperty("persistentVolumeClaimRetentionPolicy");
    putIfAbsent(retention, "whenDeleted", "Retain");
    putIfAbsent(retention, "whenScaled", "Retain");
    template(spec);
  }

  /** SetDefaults_DaemonSet. */
  static void daemonSet(ObjectNode daemonSet) {
    ObjectNode spec = daemonSet.withObjectProperty("spec");
    ObjectNode strategy = spec.withObjectProperty("updateStrategy");
    if (!strategy.hasNonNull("type")) {
      strategy.put("type", "RollingUpdate");
    }
    if ("RollingUpdate".equals(strategy.get("type").asText())) {
      ObjectNode rollingUpdate = strategy.withObjectProperty("rollingUpdate");
      putIfAbsent(rollingUpdate, "maxUnavailable", 1);
      putIfAbsent(rollingUpdate, "maxSurge", 0);
    }
    putIfAbsent(spec, "revisionHistoryLimit", 10);
    template(spec);
  }

  static void replicaSet(ObjectNode replicaSet) {
    ObjectNode spec = replicaSet.withObjectProperty("spec");
    putIfAbsent(spec, "replicas", 1);
    template(spec);
  }

  static void pod(ObjectNode pod) {
    ObjectNode spec = pod.withObjectProperty("spec");
    podSpec(spec);
    // SetDefaults_Pod, not SetDefaults_PodSpec: templates do not get it.
    if (!spec.has("enableServiceLinks")) {
      spec.put("enableServiceLinks", true);
    }
  }

  private static void template(ObjectNode workloadSpec) {
    JsonNode podSpec = workloadSpec.path("template").path("spec");
    if (podSpec instanceof ObjectNode spec) {
      podSpec(spec);
    }
  }

  private static void podSpec(ObjectNode spec) {
    putIfAbsent(spec, "restartPolicy", "Always");
    putIfAbsent(spec, "terminationGracePeriodSeconds", 30);
    putIfAbsent(spec, "dnsPolicy", "ClusterFirst");
    putIfAbsent(spec, "schedulerName", "default-scheduler");
    if (!spec.has("securityContext")) {
      spec.putObject("securityContext");
    }
    for (String list : new String[] {"initContainers", "containers"}) {
      for (JsonNode container : spec.path(list)) {
        if (container instanceof ObjectNode object) {
          container(object);
        }
      }
    }
  }

  private static void container(ObjectNode container) {
    putIfAbsent(container, "imagePullPolicy", pullPolicy(container.path("image").asText("")));
    putIfAbsent(container, "terminationMessagePath", "/dev/termination-log");
    putIfAbsent(container, "terminationMessagePolicy", "File");
    if (!container.has("resources")) {
      container.putObject("resources");
    }
    for (JsonNode port : container.path("ports")) {
      if (port instanceof ObjectNode object) {
        putIfAbsent(object, "protocol", "TCP");
      }
    }
  }

  /** {@code Always} for a {@code :latest} image or one without tag or digest, else {@code IfNotPresent}. */
  static String pullPolicy(String image) {
    int digest = image.indexOf('@');
    String name = digest >= 0 ? image.substring(0, digest) : image;
    int colon = name.lastIndexOf(':');
    String tag = colon > name.lastIndexOf('/') ? name.substring(colon + 1) : "";
    boolean latest = tag.equals("latest") || (tag.isEmpty() && digest < 0);
    return latest ? "Always" : "IfNotPresent";
  }

  private static void putIfAbsent(ObjectNode object, String field, String value) {
    if (!object.hasNonNull(field)) {
      object.put(field, value);
    }
  }

  private static void putIfAbsent(ObjectNode object, String field, int value) {
    if (!object.hasNonNull(field)) {
      object.put(field, value);
    }
  }
}
