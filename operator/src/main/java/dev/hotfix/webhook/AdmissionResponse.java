package dev.hotfix.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The webhook's answer: allowed (possibly with a JSON Patch) or denied with a message that says
 * what to do instead; kubectl prints the message as the error.
 */
record AdmissionResponse(boolean allowed, String message, Optional<ArrayNode> patch) {

  static AdmissionResponse allow() {
    return new AdmissionResponse(true, null, Optional.empty());
  }

  static AdmissionResponse deny(String message) {
    return new AdmissionResponse(false, message, Optional.empty());
  }

  static AdmissionResponse patch(ArrayNode jsonPatch) {
    return new AdmissionResponse(true, null, Optional.of(jsonPatch));
  }

  /** The AdmissionReview carrying this response to request {@code uid}. */
  JsonNode toReview(String uid) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode response = f.objectNode().put("uid", uid).put("allowed", allowed);
    if (!allowed) {
      response.putObject("status").put("code", 403).put("reason", "Forbidden").put("message", message);
    }
    patch.ifPresent(p -> response.put("patchType", "JSONPatch")
        .put("patch", Base64.getEncoder().encodeToString(p.toString().getBytes(StandardCharsets.UTF_8))));
    ObjectNode review = f.objectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
    review.set("response", response);
    return review;
  }
}
