package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * Upstream's ResourceQuota admission for the one resource the sandbox counts: pods. A pod
 * created in a namespace whose ResourceQuota sets {@code spec.hard.pods} (or {@code count/pods})
 * is refused with 403 Forbidden and upstream's message once the namespace's pods that are not
 * finished (phase Succeeded or Failed) or being deleted reach the limit. Run under the write
 * lock, so two creates cannot both take the last slot. Other quota resources (cpu, memory,
 * object counts) are not enforced.
 */
final class PodQuota {
  private static final Set<String> POD_KEYS = Set.of("pods", "count/pods");
  private static final Set<String> FINISHED = Set.of("Succeeded", "Failed");

  private PodQuota() {
  }

  /** Refuses a new pod named {@code name} in {@code namespace} that would exceed a quota. */
  static void admit(CrudStore store, String namespace, String name) {
    for (ObjectNode quota : store.list(ApiPaths.of(collection(namespace, "resourcequotas")))) {
      JsonNode hard = quota.path("spec").path("hard");
      for (String key : POD_KEYS) {
        if (!hard.has(key)) {
          continue;
        }
        long limit = Long.parseLong(hard.get(key).asText().trim());
        long used = store.list(ApiPaths.of(collection(namespace, "pods"))).stream()
            .filter(p -> !FINISHED.contains(p.path("status").path("phase").asText()))
            .filter(PodQuota::charged)
            .count();
        if (used + 1 > limit) {
          throw ApiError.of(403, "Forbidden", "pods \"" + name + "\" is forbidden: exceeded quota: "
              + quota.path("metadata").path("name").asText() + ", requested: " + key + "=1, used: " + key + "="
              + used + ", limited: " + key + "=" + limit);
        }
      }
    }
  }

  /**
   * As upstream's QuotaV1Pod: a terminating pod is charged until its deletionTimestamp plus its
   * grace period has passed (a pod stuck terminating must not block its replacement for ever).
   */
  private static boolean charged(JsonNode pod) {
    String deletion = pod.path("metadata").path("deletionTimestamp").asText("");
    if (deletion.isEmpty() || !pod.path("metadata").has("deletionGracePeriodSeconds")) {
      return true;
    }
    long grace = pod.path("metadata").path("deletionGracePeriodSeconds").asLong();
    return !java.time.Instant.now().isAfter(java.time.Instant.parse(deletion).plusSeconds(grace));
  }

  private static ResourceRef collection(String namespace, String plural) {
    return new ResourceRef("", "v1", plural, namespace, null, null);
  }
}
