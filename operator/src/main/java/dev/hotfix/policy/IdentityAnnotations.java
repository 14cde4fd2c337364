package dev.hotfix.policy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who asked for a Hotfix and who decided on it, as annotations. The admission webhook stamps
 * them from the API server's authentication (overwriting whatever a client sent) with a
 * {@link #PROOF} the operator checks; without the webhook clients such as the CLI may set them,
 * and the operator marks them unverified.
 */
public final class IdentityAnnotations {
  /** On a Hotfix: the user who created it. */
  public static final String REQUESTED_BY = "hotfix.dev/requested-by";
  /** On a Hotfix: that user's groups, comma-separated. */
  public static final String REQUESTED_BY_GROUPS = "hotfix.dev/requested-by-groups";
  /** On a HotfixApproval: the user who created it. */
  public static final String APPROVED_BY = "hotfix.dev/approved-by";
  /** On a HotfixApproval: that user's groups, comma-separated. */
  public static final String APPROVED_BY_GROUPS = "hotfix.dev/approved-by-groups";
  /** On a HotfixApproval: the uid of the Hotfix it was made for, so a recreated Hotfix of the same name inherits nothing. */
  public static final String HOTFIX_UID = "hotfix.dev/hotfix-uid";
  /** The webhook's HMAC over the identity and what it vouches for ({@link IdentityProofs}). */
  public static final String PROOF = "hotfix.dev/identity-proof";
  /** Every identity annotation: set at creation, never changed after. */
  public static final List<String> ALL = List.of(REQUESTED_BY, REQUESTED_BY_GROUPS, APPROVED_BY, APPROVED_BY_GROUPS,
      HOTFIX_UID, PROOF);

  private IdentityAnnotations() {
  }

  /** The requester of a Hotfix, empty when no one is recorded; verified when its proof checks out. */
  public static Optional<Identity> requester(HasMetadata hotfix, IdentityProofs proofs) {
    return read(hotfix, REQUESTED_BY, REQUESTED_BY_GROUPS, proofs);
  }

  /** The approver of a HotfixApproval, empty when no one is recorded; verified when its proof checks out. */
  public static Optional<Identity> approver(HasMetadata approval, IdentityProofs proofs) {
    return read(approval, APPROVED_BY, APPROVED_BY_GROUPS, proofs);
  }

  /** The uid of the Hotfix a HotfixApproval was made for, when recorded. */
  public static Optional<String> hotfixUid(HasMetadata approval) {
    Map<String, String> annotations = approval.getMetadata().getAnnotations();
    return Optional.ofNullable(annotations == null ? null : annotations.get(HOTFIX_UID)).filter(u -> !u.isBlank());
  }

  /** Groups as the annotation holds them. */
  public static String joinGroups(List<String> groups) {
    return String.join(",", groups);
  }

  private static Optional<Identity> read(HasMetadata object, String userKey, String groupsKey, IdentityProofs proofs) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    String user = annotations == null ? null : annotations.get(userKey);
    if (user == null || user.isBlank()) {
      return Optional.empty();
    }
    String groups = annotations.getOrDefault(groupsKey, "");
    List<String> list = Arrays.stream(groups.split(",")).map(String::trim).filter(g -> !g.isEmpty()).toList();
    return Optional.of(new Identity(user.trim(), list, proofs.verifies(object)));
  }
}
