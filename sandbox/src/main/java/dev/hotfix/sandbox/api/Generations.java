package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * When an update bumps metadata.generation, as upstream's registry strategies decide in
 * PrepareForUpdate. The store bumps it when anything but metadata and status changes (upstream's
 * rule for custom resources with a status subresource and for the spec of built-in kinds); this
 * adds what upstream's Deployment strategy adds: an annotation change bumps it too, "because
 * annotations are copied from deployments to their replica sets" (pkg/registry/apps/deployment).
 * Writes through the status subresource never bump it.
 */
final class Generations {

  private Generations() {}

  /** Whether upstream bumps the generation of this update where the store's own rule does not. */
  static boolean bumpsBeyondStore(JsonNode current, JsonNode updated) {
    return isDeployment(updated)
        && !Objects.equals(current.path("metadata").get("annotations"), updated.path("metadata").get("annotations"));
  }

  /** Sets the generation of {@code updated} to the one after {@code current}'s. */
  static void bump(JsonNode current, JsonNode updated) {
    ((ObjectNode) updated.path("metadata")).put("generation", current.path("metadata").path("generation").asLong(0) + 1);
  }

  static boolean isDeployment(JsonNode object) {
    return "apps/v1".equals(object.path("apiVersion").asText()) && "Deployment".equals(object.path("kind").asText());
  }
}
