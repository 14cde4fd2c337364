package dev.hotfix.operator;

import dev.hotfix.policy.Identity;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Access reviews through the API server: a SubjectAccessReview (needs {@code create subjectaccessreviews}). */
final class ApiAccessReviewer implements RequesterAuthorization.AccessReviewer {
  private final KubernetesClient client;

  ApiAccessReviewer(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public boolean allowed(Identity who, String verb, String group, String resource, String namespace, String name) {
    SubjectAccessReview review = new SubjectAccessReviewBuilder().withNewSpec()
        .withUser(who.user()).withGroups(who.groups())
        .withNewResourceAttributes().withVerb(verb).withGroup(group).withResource(resource).withNamespace(namespace)
        .withName(name).endResourceAttributes()
        .endSpec().build();
    SubjectAccessReview answer = client.authorization().v1().subjectAccessReview().create(review);
    return answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
  }
}
