package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The sandbox has no authorization: every access review says yes. Answering them matters because
 * clients ask before acting (java-operator-sdk's leader election posts a
 * {@code SelfSubjectRulesReview} and refuses to start without an answer; {@code kubectl auth
 * can-i} posts a {@code SelfSubjectAccessReview}). A {@code SelfSubjectReview} ({@code kubectl auth
 * whoami}) is answered with who is asking.
 */
final class AccessReviews {
  private AccessReviews() {
  }

  /** The review as posted by {@code user}, with a status that allows it (or says who the user is). */
  static ObjectNode answer(ResourceType type, ObjectNode review, UserInfo user) {
    ObjectNode answered = review.deepCopy();
    answered.put("kind", type.kind()).put("apiVersion", type.apiVersion());
    answered.withObjectProperty("metadata");
    ObjectNode status = answered.putObject("status");
    if (type.kind().equals("SelfSubjectReview")) {
      status.set("userInfo", user.toJson());
    } else if (type.kind().equals("SelfSubjectRulesReview")) {
      ObjectNode everything = status.putArray("resourceRules").addObject();
      everything.putArray("verbs").add("*");
      everything.putArray("apiGroups").add("*");
      everything.putArray("resources").add("*");
      ObjectNode anyUrl = status.putArray("nonResourceRules").addObject();
      anyUrl.putArray("verbs").add("*");
      anyUrl.putArray("nonResourceURLs").add("*");
      status.put("incomplete", false);
    } else {
      status.put("allowed", true).put("reason", "the hotfix sandbox allows everything");
    }
    return answered;
  }
}
