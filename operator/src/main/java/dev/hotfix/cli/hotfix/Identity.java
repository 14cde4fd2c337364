package dev.hotfix.cli.hotfix;

import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;

/**
 * Who is running the command, as {@code kubectl auth whoami} finds out: the API server's
 * SelfSubjectReview (the user and groups it authenticated) when it offers one, else the
 * kubeconfig's user entry, which nobody vouched for.
 *
 * @param user the user name
 * @param groups the groups, when the server said
 * @param fromServer whether the API server named the user
 */
record Identity(String user, List<String> groups, boolean fromServer) {

  static Identity of(Cluster cluster) {
    try {
      if (cluster.client.supports(SelfSubjectReview.class)) {
        SelfSubjectReview review = cluster.client.authentication().v1().selfSubjectReviews()
            .create(new SelfSubjectReview());
        UserInfo info = review.getStatus() == null ? null : review.getStatus().getUserInfo();
        if (info != null && info.getUsername() != null && !info.getUsername().isBlank()) {
          return new Identity(info.getUsername(), info.getGroups() == null ? List.of() : info.getGroups(), true);
        }
      }
    } catch (KubernetesClientException e) {
      // not offered or not allowed (SelfSubjectReview is beta before 1.28): fall back like kubectl users do
    }
    String user = cluster.kubeconfigUser();
    if (user == null || user.isBlank()) {
      throw new CliError("cannot tell who you are: the API server offers no SelfSubjectReview and the kubeconfig "
          + "context names no user");
    }
    return new Identity(user, List.of(), false);
  }

  /** The user as a part of an object name: lower case, characters outside [a-z0-9.-] as '-'. */
  String nameSegment() {
    String s = user.toLowerCase().replaceAll("[^a-z0-9.-]+", "-").replaceAll("^[-.]+|[-.]+$", "");
    return s.isEmpty() ? "user" : s;
  }
}
