package dev.hotfix.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * fabric8's Kubernetes serialization (its Jackson modules, the kind-to-class lookup) as one shared
 * instance, and the mapper it configures for tree work ({@code valueToTree}, {@code treeToValue}).
 * It replaces the static {@code Serialization.jsonMapper()} and {@code unmarshal}, which fabric8 7
 * deprecates; objects read back exactly as the client and the mock store write them.
 */
public final class KubernetesJson {
  /** The JSON mapper, configured by {@link #SERIALIZATION}. */
  public static final ObjectMapper MAPPER = new ObjectMapper();
  /** Reads and writes Kubernetes objects as the fabric8 client does. */
  public static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization(MAPPER, true);

  private KubernetesJson() {
  }
}
