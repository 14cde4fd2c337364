package dev.hotfix.notify;

import dev.hotfix.api.v1alpha1.HotfixPolicy;
import dev.hotfix.api.v1alpha1.NotificationTarget;
import dev.hotfix.api.v1alpha1.NotificationType;
import dev.hotfix.outbound.EndpointGuard;
import dev.hotfix.outbound.OutboundRefused;
import dev.hotfix.outbound.SecretKeys;
import dev.hotfix.policy.NamespacePolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * One place a notification goes: the policy's target with its URL read from the Secret, or
 * the reason it cannot be reached (a missing Secret or key, a URL that is not http(s) or carries
 * user info, a query or a fragment), which
 * then counts as a failed delivery instead of vanishing.
 *
 * @param type slack or webhook
 * @param url where to POST; null when {@code problem} says why there is none
 * @param problem what to fix, when the URL could not be read
 */
record Destination(NotificationType type, URI url, String problem) {
  /** The key of {@code urlSecretRef} when the policy names none. */
  static final String DEFAULT_URL_KEY = "url";

  /** The notification targets of the namespace's HotfixPolicy {@code default}; none without a policy. */
  static List<Destination> of(KubernetesClient client, String namespace) {
    HotfixPolicy policy = NamespacePolicy.read(client, namespace).orElse(null);
    if (policy == null || policy.getSpec() == null || policy.getSpec().notifications == null) {
      return List.of();
    }
    List<Destination> destinations = new ArrayList<>();
    for (NotificationTarget t : policy.getSpec().notifications) {
      destinations.add(resolve(client, namespace, t));
    }
    return destinations;
  }

  private static Destination resolve(KubernetesClient client, String namespace, NotificationTarget t) {
    try {
      String text = SecretKeys.read(client, namespace, t.urlSecretRef, DEFAULT_URL_KEY);
      // the guard's message names what is wrong, never the URL (its path often is the credential)
      return new Destination(t.type, EndpointGuard.baseUrl(text, "the URL in Secret " + t.urlSecretRef.name), null);
    } catch (IllegalArgumentException e) {
      // URI.create's message would repeat the URL, which may carry a token: name the Secret instead
      String problem = e instanceof OutboundRefused || e.getMessage() != null && e.getMessage().startsWith("Secret ")
          ? e.getMessage()
          : "the URL in Secret " + t.urlSecretRef.name + " is malformed";
      return new Destination(t.type, null, "HotfixPolicy " + HotfixPolicy.DEFAULT_NAME + ": " + problem);
    }
  }

  /** For messages: the type and host, never the full URL (its path often is the credential). */
  String describe() {
    return type + (url == null ? "" : " (" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) + ")");
  }
}
