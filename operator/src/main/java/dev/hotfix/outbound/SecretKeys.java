package dev.hotfix.outbound;

import dev.hotfix.api.v1alpha1.SecretKeyRef;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the credentials of outbound calls (notification URLs, Prometheus tokens and CAs) from one
 * Secret by name ({@code get}, never {@code list}: the operator's RBAC can then be limited to the
 * Secrets a policy names).
 */
public final class SecretKeys {
  private SecretKeys() {
  }

  /**
   * Every key of Secret {@code name}, decoded; {@code stringData} wins over {@code data}, as the
   * API server merges them on write.
   *
   * @throws IllegalArgumentException naming the Secret when it does not exist
   */
  public static Map<String, String> values(KubernetesClient client, String namespace, String name) {
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null) {
      throw new IllegalArgumentException("Secret " + name + " not found in namespace " + namespace);
    }
    Map<String, String> values = new HashMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) -> values.put(k, new String(Base64.getDecoder().decode(v),
          StandardCharsets.UTF_8)));
    }
    if (secret.getStringData() != null) {
      values.putAll(secret.getStringData());
    }
    return values;
  }

  /**
   * The value of {@code ref} in {@code namespace}, trimmed, its key defaulting to {@code defaultKey}.
   *
   * @throws IllegalArgumentException naming the Secret or key that is missing
   */
  public static String read(KubernetesClient client, String namespace, SecretKeyRef ref, String defaultKey) {
    String key = ref.key == null ? defaultKey : ref.key;
    String value = values(client, namespace, ref.name).get(key);
    if (value == null) {
      throw new IllegalArgumentException("Secret " + ref.name + " in namespace " + namespace + " has no key " + key);
    }
    return value.trim();
  }
}
