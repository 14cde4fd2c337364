package dev.hotfix.notify;

import dev.hotfix.api.v1alpha1.SecretKeyRef;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Reads one key of one Secret by name ({@code get}, never {@code list}: the operator's RBAC
 * can then be limited to the Secrets a policy names).
 */
final class SecretKeys {
  private SecretKeys() {
  }

  /**
   * The value of {@code ref} in {@code namespace}, its key defaulting to {@code defaultKey}.
   *
   * @throws IllegalArgumentException naming the Secret or key that is missing
   */
  static String read(KubernetesClient client, String namespace, SecretKeyRef ref, String defaultKey) {
    String key = ref.key == null ? defaultKey : ref.key;
    Secret secret = client.secrets().inNamespace(namespace).withName(ref.name).get();
    if (secret == null) {
      throw new IllegalArgumentException("Secret " + ref.name + " not found in namespace " + namespace);
    }
    if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
      return secret.getStringData().get(key).trim();
    }
    if (secret.getData() != null && secret.getData().containsKey(key)) {
      return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8).trim();
    }
    throw new IllegalArgumentException("Secret " + ref.name + " in namespace " + namespace + " has no key " + key);
  }
}
