package dev.hotfix.policy;

import dev.hotfix.api.v1alpha1.Bounds;
import dev.hotfix.api.v1alpha1.DeletionAction;
import dev.hotfix.api.v1alpha1.HotfixPolicySpec;
import dev.hotfix.api.v1alpha1.HotfixSpec;
import dev.hotfix.api.v1alpha1.ImageRules;
import dev.hotfix.api.v1alpha1.SafetyLimits;
import dev.hotfix.operator.EffectiveSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a namespace's policy lets a requester choose in a Hotfix spec: the images (allowed
 * repositories, digests), the settings that weaken the safety net (downtime, no automatic
 * rollback, {@code onDelete: Leave}) and the ranges of deadlines, bake and restarts. Every field
 * resolved: the policy's value, or the built-in default (any repository, no digest needed, every
 * weakening setting refused, no range beyond the schema's).
 */
final class SpecLimits {
  static final SpecLimits DEFAULTS = new SpecLimits(List.of(), false, false, false, false, null, null, null, null);

  private final List<RepositoryPattern> allowedRepositories;
  private final boolean requireDigest;
  private final boolean allowDowntime;
  private final boolean allowDisablingAutomaticRollback;
  private final boolean allowLeaveOnDelete;
  private final Bounds progressDeadlineSeconds;
  private final Bounds podReadyTimeoutSeconds;
  private final Bounds maxRestarts;
  private final Bounds bakeSeconds;

  private SpecLimits(List<RepositoryPattern> allowedRepositories, boolean requireDigest, boolean allowDowntime,
      boolean allowDisablingAutomaticRollback, boolean allowLeaveOnDelete, Bounds progressDeadlineSeconds,
      Bounds podReadyTimeoutSeconds, Bounds maxRestarts, Bounds bakeSeconds) {
    this.allowedRepositories = allowedRepositories;
    this.requireDigest = requireDigest;
    this.allowDowntime = allowDowntime;
    this.allowDisablingAutomaticRollback = allowDisablingAutomaticRollback;
    this.allowLeaveOnDelete = allowLeaveOnDelete;
    this.progressDeadlineSeconds = progressDeadlineSeconds;
    this.podReadyTimeoutSeconds = podReadyTimeoutSeconds;
    this.maxRestarts = maxRestarts;
    this.bakeSeconds = bakeSeconds;
  }

  /** The policy's images and limits over the defaults, field by field. */
  static SpecLimits of(HotfixPolicySpec spec) {
    ImageRules images = Optional.ofNullable(spec.images).orElseGet(ImageRules::new);
    SafetyLimits limits = Optional.ofNullable(spec.limits).orElseGet(SafetyLimits::new);
    List<RepositoryPattern> allowed = images.allowedRepositories == null ? List.of()
        : images.allowedRepositories.stream().map(RepositoryPattern::of).toList();
    return new SpecLimits(allowed,
        orDefault(images.requireDigest, DEFAULTS.requireDigest),
        orDefault(limits.allowDowntime, DEFAULTS.allowDowntime),
        orDefault(limits.allowDisablingAutomaticRollback, DEFAULTS.allowDisablingAutomaticRollback),
        orDefault(limits.allowLeaveOnDelete, DEFAULTS.allowLeaveOnDelete),
        limits.progressDeadlineSeconds, limits.podReadyTimeoutSeconds, limits.maxRestarts, limits.bakeSeconds);
  }

  /**
   * Every setting of {@code spec} the policy does not allow, each naming the policy field that
   * would allow it; empty when it asks nothing beyond the limits.
   *
   * @param source the policy, as people read it (e.g. "HotfixPolicy default in namespace shop")
   */
  List<String> problems(HotfixSpec spec, String source) {
    EffectiveSpec effective = EffectiveSpec.of(spec);
    List<String> problems = new ArrayList<>();
    effective.images().forEach((container, image) -> {
      ImageReference ref = ImageReference.parse(image);
      if (!allowedRepositories.isEmpty() && allowedRepositories.stream().noneMatch(p -> p.matches(ref))) {
        problems.add("container " + container + ": repository " + ref.repository() + " is not in "
            + "spec.images.allowedRepositories " + allowedRepositories + " of " + source + ": ship an image from "
            + "an allowed repository, or have the policy's owners add it");
      }
      if (requireDigest && !ref.digested()) {
        problems.add("container " + container + ": image " + image + " is not pinned by digest, and "
            + "spec.images.requireDigest of " + source + " is true: use " + ref.repository()
            + "@sha256:<digest>");
      }
    });
    if (spec.rollout != null && Boolean.TRUE.equals(spec.rollout.allowDowntime) && !allowDowntime) {
      problems.add("spec.rollout.allowDowntime: true is not allowed by " + source + " (spec.limits.allowDowntime "
          + "is false): roll out with maxUnavailable 0, or have the policy set spec.limits.allowDowntime: true");
    }
    if (!effective.automaticRollback() && !allowDisablingAutomaticRollback) {
      problems.add("spec.rollback.automatic: false is not allowed by " + source + " (spec.limits."
          + "allowDisablingAutomaticRollback is false): keep automatic rollback, or have the policy set "
          + "spec.limits.allowDisablingAutomaticRollback: true");
    }
    if (effective.onDelete() == DeletionAction.Leave && !allowLeaveOnDelete) {
      problems.add("spec.rollback.onDelete: Leave is not allowed by " + source + " (spec.limits.allowLeaveOnDelete "
          + "is false): use RollBack, or have the policy set spec.limits.allowLeaveOnDelete: true");
    }
    outOfRange("spec.rollout.progressDeadlineSeconds", effective.progressDeadline().toSeconds(),
        "spec.limits.progressDeadlineSeconds", progressDeadlineSeconds, source).ifPresent(problems::add);
    outOfRange("spec.rollout.podReadyTimeoutSeconds", effective.podReadyTimeout().toSeconds(),
        "spec.limits.podReadyTimeoutSeconds", podReadyTimeoutSeconds, source).ifPresent(problems::add);
    outOfRange("spec.rollout.maxRestarts", effective.maxRestarts(), "spec.limits.maxRestarts", maxRestarts, source)
        .ifPresent(problems::add);
    outOfRange("spec.verification.bakeSeconds", effective.bake().toSeconds(), "spec.limits.bakeSeconds",
        bakeSeconds, source).ifPresent(problems::add);
    return problems;
  }

  private static Optional<String> outOfRange(String field, long value, String limitField, Bounds bounds,
      String source) {
    if (bounds == null) {
      return Optional.empty();
    }
    boolean low = bounds.min != null && value < bounds.min;
    boolean high = bounds.max != null && value > bounds.max;
    if (!low && !high) {
      return Optional.empty();
    }
    String range = (bounds.min == null ? "" : "at least " + bounds.min)
        + (bounds.min != null && bounds.max != null ? " and " : "")
        + (bounds.max == null ? "" : "at most " + bounds.max);
    return Optional.of(field + " is " + value + " but " + limitField + " of " + source + " requires " + range
        + ": set " + field + " within that range, or have the policy's owners change " + limitField);
  }

  private static boolean orDefault(Boolean value, boolean fallback) {
    return value == null ? fallback : value;
  }
}
