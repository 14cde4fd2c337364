package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.CheckSpec;
import dev.hotfix.api.v1alpha1.ContainerImage;
import dev.hotfix.api.v1alpha1.DeletionAction;
import dev.hotfix.api.v1alpha1.HotfixSpec;
import dev.hotfix.api.v1alpha1.RollbackSpec;
import dev.hotfix.api.v1alpha1.RolloutSpec;
import dev.hotfix.api.v1alpha1.StrategyRecord;
import dev.hotfix.api.v1alpha1.TargetKind;
import dev.hotfix.api.v1alpha1.VerificationSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Hotfix spec with every default filled in. The API server applies the CRD's defaults, but
 * the operator must not depend on that (a Hotfix created before a CRD upgrade, or by a client
 * that bypassed defaulting), so the defaults are stated once more here, matching the schema.
 */
public record EffectiveSpec(Map<String, String> images, IntOrString maxSurge, IntOrString maxUnavailable,
    Duration progressDeadline, Duration podReadyTimeout, int maxRestarts, Duration bake, Duration interval,
    List<CheckSpec> checks, boolean automaticRollback, boolean abort, DeletionAction onDelete) {

  public static EffectiveSpec of(HotfixSpec spec) {
    RolloutSpec rollout = spec.rollout == null ? new RolloutSpec() : spec.rollout;
    VerificationSpec verification = spec.verification == null ? new VerificationSpec() : spec.verification;
    RollbackSpec rollback = spec.rollback == null ? new RollbackSpec() : spec.rollback;
    Map<String, String> images = new LinkedHashMap<>();
    for (ContainerImage c : spec.containers == null ? List.<ContainerImage>of() : spec.containers) {
      images.put(c.name, c.image);
    }
    return new EffectiveSpec(images,
        rollout.maxSurge == null ? new IntOrString("25%") : rollout.maxSurge,
        rollout.maxUnavailable == null ? new IntOrString(0) : rollout.maxUnavailable,
        Duration.ofSeconds(orDefault(rollout.progressDeadlineSeconds, 300)),
        Duration.ofSeconds(orDefault(rollout.podReadyTimeoutSeconds, 120)),
        orDefault(rollout.maxRestarts, 1),
        Duration.ofSeconds(orDefault(verification.bakeSeconds, 120)),
        Duration.ofSeconds(orDefault(verification.intervalSeconds, 15)),
        verification.checks == null ? List.of() : verification.checks,
        rollback.automatic == null || rollback.automatic,
        Boolean.TRUE.equals(spec.abort),
        rollback.onDelete == null ? DeletionAction.RollBack : rollback.onDelete);
  }

  /**
   * The rollout strategy the Hotfix applies to its target for its duration. A StatefulSet has no
   * surge: it replaces pods in place, from the highest ordinal down, every one (partition 0),
   * {@code maxUnavailable} at a time, at least one (its API refuses 0). A DaemonSet surges a new
   * pod beside the old one on each node (maxSurge) as a Deployment does.
   */
  public StrategyRecord strategy(TargetKind kind) {
    StrategyRecord s = new StrategyRecord();
    s.type = "RollingUpdate";
    switch (kind) {
      case StatefulSet -> {
        s.partition = 0;
        s.maxUnavailable = isZero(maxUnavailable) ? null : maxUnavailable;
      }
      case DaemonSet -> {
        s.maxSurge = maxSurge;
        s.maxUnavailable = maxUnavailable;
      }
      case Deployment -> {
        s.maxSurge = maxSurge;
        s.maxUnavailable = maxUnavailable;
        s.progressDeadlineSeconds = (int) progressDeadline.toSeconds();
      }
    }
    return s;
  }

  private static boolean isZero(IntOrString value) {
    return value == null || Integer.valueOf(0).equals(value.getIntVal()) || "0%".equals(value.getStrVal());
  }

  private static int orDefault(Integer value, int fallback) {
    return value == null ? fallback : value;
  }
}
