package dev.hotfix.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of an {@code admission.k8s.io/v1} AdmissionReview request the webhook decides on.
 *
 * @param uid echoed in the response, as the API server requires
 * @param group the API group of the object's kind
 * @param kind the object's kind, e.g. Hotfix
 * @param subResource the subresource written ({@code status}), empty for the object itself
 * @param operation CREATE, UPDATE, DELETE or CONNECT
 * @param namespace the object's namespace
 * @param object the object as it would be stored (missing on DELETE)
 * @param oldObject the stored object before an UPDATE (missing otherwise)
 * @param user the authenticated user name who sent the request
 * @param groups that user's groups
 */
record AdmissionRequest(String uid, String group, String kind, String subResource, String operation, String namespace,
    JsonNode object,
    JsonNode oldObject, String user, List<String> groups) {

  /**
   * Reads the {@code request} of an AdmissionReview.
   *
   * @throws IllegalArgumentException when it is not an {@code admission.k8s.io/v1} AdmissionReview with a request
   */
  static AdmissionRequest from(JsonNode review) {
    if (!"admission.k8s.io/v1".equals(review.path("apiVersion").asText())
        || !"AdmissionReview".equals(review.path("kind").asText())) {
      throw new IllegalArgumentException("expected an AdmissionReview of apiVersion admission.k8s.io/v1, got kind "
          + review.path("kind").asText("(none)") + " of " + review.path("apiVersion").asText("(none)")
          + ": register the webhook with admissionReviewVersions: [v1]");
    }
    JsonNode r = review.path("request");
    if (r.path("uid").asText().isEmpty()) {
      throw new IllegalArgumentException("the AdmissionReview has no request.uid");
    }
    List<String> groups = new ArrayList<>();
    r.path("userInfo").path("groups").forEach(g -> groups.add(g.asText()));
    return new AdmissionRequest(r.path("uid").asText(), r.path("kind").path("group").asText(),
        r.path("kind").path("kind").asText(), r.path("subResource").asText(""), r.path("operation").asText(),
        r.path("namespace").asText(), orMissing(r.get("object")), orMissing(r.get("oldObject")),
        r.path("userInfo").path("username").asText(), List.copyOf(groups));
  }

  /** A write of the object itself (not of a subresource) of that kind. */
  boolean is(String group, String kind, String operation) {
    return this.group.equals(group) && this.kind.equals(kind) && this.operation.equals(operation)
        && subResource.isEmpty();
  }

  /** The object's name, as stored (empty when the API server has yet to generate it). */
  String name() {
    return (object.isMissingNode() ? oldObject : object).path("metadata").path("name").asText("");
  }

  private static JsonNode orMissing(JsonNode n) {
    return n == null || n.isNull() ? MissingNode.getInstance() : n;
  }
}
