package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Access reviews, answered from the RBAC policy as upstream answers them: a
 * {@code SelfSubjectAccessReview} ({@code kubectl auth can-i}) for the asking user, a
 * {@code SubjectAccessReview} or {@code LocalSubjectAccessReview} for the user and groups in its
 * spec (what an operator asks before acting for someone), a {@code SelfSubjectRulesReview}
 * (java-operator-sdk's leader election, {@code kubectl auth can-i --list}) with every rule that
 * applies to the asking user in a namespace. A {@code SelfSubjectReview} ({@code kubectl auth
 * whoami}) is answered with who is asking.
 */
final class AccessReviews {
  private AccessReviews() {
  }

  /** The review as posted by {@code user} to {@code ref}, with its status filled in. */
  static ObjectNode answer(ResourceType type, ResourceRef ref, ObjectNode review, UserInfo user, RbacPolicy policy) {
    ObjectNode answered = review.deepCopy();
    answered.put("kind", type.kind()).put("apiVersion", type.apiVersion());
    answered.withObjectProperty("metadata");
    JsonNode spec = review.path("spec");
    ObjectNode status = answered.putObject("status");
    switch (type.kind()) {
      case "SelfSubjectReview" -> status.set("userInfo", user.toJson());
      case "SelfSubjectRulesReview" -> {
        status.putArray("resourceRules");
        status.putArray("nonResourceRules");
        for (RbacRule rule : policy.rulesFor(user, spec.path("namespace").asText(""))) {
          status.withArrayProperty(rule.isNonResource() ? "nonResourceRules" : "resourceRules").add(rule.toJson());
        }
        status.put("incomplete", false);
      }
      case "SelfSubjectAccessReview" -> decide(status, attributes(user, spec), policy);
      case "SubjectAccessReview" -> decide(status, attributes(subject(type, spec), spec), policy);
      case "LocalSubjectAccessReview" -> {
        String namespace = spec.path("resourceAttributes").path("namespace").asText("");
        if (!namespace.isEmpty() && !namespace.equals(ref.namespace())) {
          throw invalid(type, "spec.resourceAttributes.namespace", namespace,
              "must match metadata.namespace (the namespace of the request path)");
        }
        if (spec.has("nonResourceAttributes")) {
          throw invalid(type, "spec.nonResourceAttributes", "", "disallowed on this kind of request");
        }
        ((ObjectNode) answered.withObjectProperty("spec").withObjectProperty("resourceAttributes"))
            .put("namespace", ref.namespace());
        decide(status, attributes(subject(type, spec), answered.path("spec")), policy);
      }
      default -> throw ApiError.methodNotAllowed("POST");
    }
    return answered;
  }

  private static void decide(ObjectNode status, AuthorizationAttributes attributes, RbacPolicy policy) {
    RbacPolicy.Decision decision = policy.authorize(attributes);
    status.put("allowed", decision.allowed());
    if (!decision.reason().isEmpty()) {
      status.put("reason", decision.reason());
    }
  }

  /** The user a SubjectAccessReview asks about; at least a user or a group, as upstream validates. */
  private static UserInfo subject(ResourceType type, JsonNode spec) {
    List<String> groups = RbacRule.strings(spec.path("groups"));
    String user = spec.path("user").asText("");
    if (user.isEmpty() && groups.isEmpty()) {
      throw invalid(type, "spec.user", user, "at least one of user or group must be specified");
    }
    Map<String, List<String>> extra = new LinkedHashMap<>();
    spec.path("extra").properties().forEach(e -> extra.put(e.getKey(), RbacRule.strings(e.getValue())));
    return new UserInfo(user, spec.path("uid").asText(""), new ArrayList<>(groups), extra);
  }

  private static AuthorizationAttributes attributes(UserInfo user, JsonNode spec) {
    if (spec.has("nonResourceAttributes")) {
      JsonNode n = spec.path("nonResourceAttributes");
      return AuthorizationAttributes.nonResource(user, n.path("verb").asText(""), n.path("path").asText(""));
    }
    JsonNode r = spec.path("resourceAttributes");
    return AuthorizationAttributes.resource(user, r.path("verb").asText(""), r.path("group").asText(""),
        r.path("resource").asText(""), r.path("subresource").asText(""), r.path("namespace").asText(""),
        r.path("name").asText(""));
  }

  private static ApiError invalid(ResourceType type, String field, String value, String why) {
    return ApiError.refused(InvalidObjectException.invalid(type.kind(), type.group(), "",
        List.of(new FieldError("FieldValueInvalid", field, "Invalid value: \"" + value + "\": " + why))));
  }
}
