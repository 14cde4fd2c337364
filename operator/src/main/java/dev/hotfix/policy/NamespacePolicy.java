package dev.hotfix.policy;

import dev.hotfix.api.v1alpha1.HotfixPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/**
 * The one way the operator reads a namespace's policy: HotfixPolicy {@code default}, by name from
 * the API on each use. Not from the informer's cache: a policy applied just before a Hotfix (or
 * an approval, a notification) is in force for it even if the informer has not delivered it yet;
 * the informer only wakes the Hotfixes a policy change concerns.
 */
public final class NamespacePolicy {

  private NamespacePolicy() {
  }

  /** The policy of {@code namespace}, empty when it has none. */
  public static Optional<HotfixPolicy> read(KubernetesClient client, String namespace) {
    return Optional.ofNullable(client.resources(HotfixPolicy.class).inNamespace(namespace)
        .withName(HotfixPolicy.DEFAULT_NAME).get());
  }
}
