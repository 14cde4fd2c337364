package dev.hotfix.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.hotfix.json.KubernetesJson;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Proof that the admission webhook, not a client, wrote an identity: an HMAC-SHA256 under a key
 * only the operator holds (the webhook runs in the operator's process), over the object it was
 * stamped on and what the identity vouches for. For a Hotfix: namespace, name, requester, groups,
 * severity, target and images; for a HotfixApproval: namespace, name, approver, groups, the
 * Hotfix it names, that Hotfix's uid and the decision. A bare annotation, one copied from another
 * object, or one left from a time the webhook was absent does not verify.
 */
public final class IdentityProofs {
  /** No key: nothing verifies (the operator runs without {@code --identity-key-file}). */
  public static final IdentityProofs NONE = new IdentityProofs(null);
  /** The key's least length: as long as the HMAC-SHA256 output. */
  public static final int MIN_KEY_BYTES = 32;
  private static final String ALGORITHM = "HmacSHA256";
  private static final String SCHEME = "v1:";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SecretKeySpec key;

  private IdentityProofs(SecretKeySpec key) {
    this.key = key;
  }

  /** @throws IllegalArgumentException when the key is shorter than {@link #MIN_KEY_BYTES} */
  public static IdentityProofs withKey(byte[] key) {
    if (key.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException("the identity key is " + key.length + " bytes long; it needs at least "
          + MIN_KEY_BYTES + " random bytes (e.g. head -c 48 /dev/urandom | base64)");
    }
    return new IdentityProofs(new SecretKeySpec(key.clone(), ALGORITHM));
  }

  /**
   * The key in a file (a mounted Secret), trailing whitespace ignored.
   *
   * @throws IllegalArgumentException when it cannot be read or is too short, saying which file
   */
  public static IdentityProofs fromFile(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the identity key " + file + ": " + e.getMessage(), e);
    }
    try {
      return withKey(text.getBytes(StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** Whether a key is held, so that stamps can be made and checked. */
  public boolean hasKey() {
    return key != null;
  }

  /**
   * The proof to stamp on {@code object} (a Hotfix or HotfixApproval as the webhook will store it,
   * identity annotations included).
   *
   * @throws IllegalStateException without a key
   */
  public String sign(String namespace, JsonNode object) {
    if (key == null) {
      throw new IllegalStateException("no identity key");
    }
    return SCHEME + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(claim(namespace, object)));
  }

  /** Whether the object's {@link IdentityAnnotations#PROOF} is the webhook's stamp of its identity annotations. */
  public boolean verifies(HasMetadata object) {
    if (key == null || object.getMetadata().getAnnotations() == null) {
      return false;
    }
    String proof = object.getMetadata().getAnnotations().get(IdentityAnnotations.PROOF);
    if (proof == null || !proof.startsWith(SCHEME)) {
      return false;
    }
    byte[] given;
    try {
      given = Base64.getUrlDecoder().decode(proof.substring(SCHEME.length()));
    } catch (IllegalArgumentException e) {
      return false;
    }
    JsonNode tree = KubernetesJson.MAPPER.valueToTree(object);
    return MessageDigest.isEqual(given, mac(claim(object.getMetadata().getNamespace(), tree)));
  }

  /** What a proof vouches for, as one unambiguous JSON array. */
  private static byte[] claim(String namespace, JsonNode object) {
    JsonNode metadata = object.path("metadata");
    JsonNode annotations = metadata.path("annotations");
    JsonNode spec = object.path("spec");
    ArrayNode claim = JSON.createArrayNode().add(object.path("kind").asText()).add(namespace)
        .add(metadata.path("name").asText());
    if ("HotfixApproval".equals(object.path("kind").asText())) {
      claim.add(annotations.path(IdentityAnnotations.APPROVED_BY).asText())
          .add(annotations.path(IdentityAnnotations.APPROVED_BY_GROUPS).asText())
          .add(spec.path("hotfix").asText())
          .add(annotations.path(IdentityAnnotations.HOTFIX_UID).asText())
          .add(spec.path("decision").asText());
    } else {
      claim.add(annotations.path(IdentityAnnotations.REQUESTED_BY).asText())
          .add(annotations.path(IdentityAnnotations.REQUESTED_BY_GROUPS).asText())
          .add(spec.path("severity").asText())
          .add(spec.path("target").path("name").asText());
      ArrayNode images = claim.addArray();
      spec.path("containers").forEach(c -> images.add(c.path("name").asText() + "=" + c.path("image").asText()));
    }
    return claim.toString().getBytes(StandardCharsets.UTF_8);
  }

  private byte[] mac(byte[] data) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
    }
  }
}
