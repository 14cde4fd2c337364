package dev.hotfix.testing;

import dev.hotfix.json.KubernetesJson;
import dev.hotfix.policy.IdentityAnnotations;
import dev.hotfix.policy.IdentityProofs;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.HashMap;

/** What the admission webhook adds to an object whose identity annotations it stamped: the proof. */
public final class IdentityStamps {
  /** A test key: 32 bytes, as the chart's Secret holds at least. */
  public static final IdentityProofs TEST_KEY = IdentityProofs.withKey("0123456789abcdef0123456789abcdef".getBytes());

  private IdentityStamps() {
  }

  /** {@code object} with the proof of its identity annotations under {@code proofs}, as the webhook stores it. */
  public static <T extends HasMetadata> T stamped(IdentityProofs proofs, T object) {
    object.getMetadata().setAnnotations(new HashMap<>(object.getMetadata().getAnnotations()));
    object.getMetadata().getAnnotations().put(IdentityAnnotations.PROOF,
        proofs.sign(object.getMetadata().getNamespace(), KubernetesJson.MAPPER.valueToTree(object)));
    return object;
  }
}
