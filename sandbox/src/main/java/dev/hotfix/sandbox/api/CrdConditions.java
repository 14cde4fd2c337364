package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The status a real apiextensions server gives a new CRD once it serves it: names accepted and
 * {@code Established} (what {@code kubectl wait --for=condition=Established crd/...} waits for).
 * The sandbox serves a CRD as soon as it is stored, so it is established at creation.
 */
final class CrdConditions {
  private CrdConditions() {
  }

  /** Sets the CRD's status as established. */
  static void establish(ObjectNode crd) {
    ObjectNode status = crd.putObject("status");
    status.set("acceptedNames", crd.path("spec").path("names").deepCopy());
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    ArrayNode conditions = status.putArray("conditions");
    conditions.addObject().put("type", "NamesAccepted").put("status", "True").put("reason", "NoConflicts")
        .put("message", "no conflicts found").put("lastTransitionTime", now);
    conditions.addObject().put("type", "Established").put("status", "True").put("reason", "InitialNamesAccepted")
        .put("message", "the initial names have been accepted").put("lastTransitionTime", now);
    ArrayNode stored = status.putArray("storedVersions");
    crd.path("spec").path("versions").forEach(v -> {
      if (v.path("storage").asBoolean()) {
        stored.add(v.path("name").asText());
      }
    });
  }
}
