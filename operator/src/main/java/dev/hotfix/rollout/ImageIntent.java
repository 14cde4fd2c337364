package dev.hotfix.rollout;

import java.util.Map;

/**
 * Whether a stored image is the one the operator asked for. A digest-pinning mutating webhook
 * (Kyverno's verifyImages, sigstore policy-controller) rewrites {@code repo:tag} after our write
 * into {@code repo:tag@sha256:...} or {@code repo@sha256:...}: the same repository, resolved to
 * the digest the registry serves, so still ours. Another repository or another tag is someone
 * else's change; a reference we pinned by digest ourselves must come back exactly.
 */
public final class ImageIntent {
  private ImageIntent() {
  }

  /** Whether {@code stored} is {@code requested}, or it pinned by digest in the same repository. */
  public static boolean isOurs(String requested, String stored) {
    if (requested == null || stored == null || requested.equals(stored)) {
      return requested != null && requested.equals(stored);
    }
    int at = stored.indexOf('@');
    if (requested.contains("@") || at < 0) {
      return false;
    }
    String storedName = stored.substring(0, at);
    return storedName.equals(requested) || storedName.equals(repositoryOf(requested));
  }

  /** Whether every container in {@code requested} runs its image, by {@link #isOurs}. */
  public static boolean allOurs(Map<String, String> requested, Map<String, String> stored) {
    return requested.entrySet().stream().allMatch(e -> isOurs(e.getValue(), stored.get(e.getKey())));
  }

  /** The reference without tag or digest: {@code registry:5000/team/app}. */
  static String repositoryOf(String image) {
    int at = image.indexOf('@');
    String ref = at < 0 ? image : image.substring(0, at);
    int colon = ref.lastIndexOf(':');
    return colon > ref.lastIndexOf('/') ? ref.substring(0, colon) : ref;
  }
}
