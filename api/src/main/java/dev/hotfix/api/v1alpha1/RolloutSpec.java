package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;

/**
 * How the patched images roll out. The operator applies maxSurge/maxUnavailable to the
 * Deployment for the duration of the Hotfix and restores the owner's values afterwards.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.maxSurge) || (type(self.maxSurge) == int ? self.maxSurge >= 0 "
    + ": self.maxSurge.matches('^(100|[1-9]?[0-9])%$'))",
    message = "maxSurge must be a non-negative integer or a percentage such as \"25%\"", fieldPath = ".maxSurge")
@ValidationRule(value = "!has(self.maxUnavailable) || (type(self.maxUnavailable) == int ? self.maxUnavailable >= 0 "
    + ": self.maxUnavailable.matches('^(100|[1-9]?[0-9])%$'))",
    message = "maxUnavailable must be a non-negative integer or a percentage such as \"25%\"",
    fieldPath = ".maxUnavailable")
@ValidationRule(value = "(has(self.allowDowntime) && self.allowDowntime) || !has(self.maxUnavailable) "
    + "|| string(self.maxUnavailable) in ['0', '0%']",
    message = "maxUnavailable must be 0 for a zero-downtime rollout; set allowDowntime: true to accept fewer ready "
        + "pods than desired",
    fieldPath = ".maxUnavailable")
@ValidationRule(value = "!(has(self.maxSurge) && string(self.maxSurge) in ['0', '0%'] "
    + "&& (!has(self.maxUnavailable) || string(self.maxUnavailable) in ['0', '0%']))",
    message = "maxSurge and maxUnavailable cannot both be 0: the rollout could never make progress",
    fieldPath = ".maxSurge")
public class RolloutSpec {

  /** Extra pods allowed above the desired count during the rollout. */
  @Default("25%")
  @JsonPropertyDescription("How many pods may exist above the desired count during the rollout: an integer or a "
      + "percentage of desired pods (rounded up). Default \"25%\".")
  public IntOrString maxSurge;

  /** Pods allowed below the desired ready count; must be 0 unless allowDowntime. */
  @Default("0")
  @JsonPropertyDescription("How many pods may be unavailable during the rollout: an integer or a percentage (rounded "
      + "down). Must be 0 (zero downtime: never fewer ready pods than desired) unless allowDowntime is true.")
  public IntOrString maxUnavailable;

  /** Accept a rollout that may drop below the desired ready count. */
  @Default("false")
  @JsonPropertyDescription("Set to true to accept maxUnavailable above 0, i.e. fewer ready pods than desired during "
      + "the rollout. Only where the namespace's HotfixPolicy sets spec.limits.allowDowntime: true; otherwise the "
      + "Hotfix is Rejected.")
  public Boolean allowDowntime;

  /** How long the whole rollout may take before it counts as failed. */
  @Default("300")
  @Min(1)
  @Max(86400)
  @JsonPropertyDescription("Seconds the rollout may take to complete before it counts as failed and is rolled back "
      + "(also set as the Deployment's progressDeadlineSeconds for the duration). Default 300.")
  public Integer progressDeadlineSeconds;

  /** How long one new pod may take to become ready. */
  @Default("120")
  @Min(1)
  @Max(86400)
  @JsonPropertyDescription("Seconds a new pod may take to become ready; a pod not ready by then fails the Hotfix at "
      + "once, without waiting for the progress deadline. Default 120.")
  public Integer podReadyTimeoutSeconds;

  /** Restarts a new pod may have before it counts as failed. */
  @Default("1")
  @Min(0)
  @Max(1000)
  @JsonPropertyDescription("Container terminations a new pod may have (restarts, counting a crash waiting in "
      + "CrashLoopBackOff); more fails the Hotfix at once. Default 1: the kubelet restarts a container's first crash "
      + "at once, so one crash that then runs is tolerated; a second crash (CrashLoopBackOff) fails.")
  public Integer maxRestarts;

  /** Run the new images on a few extra pods first, and roll out only after they pass. */
  @JsonPropertyDescription("A canary before the rollout: the new images first run on canary.pods extra pods beside "
      + "the Deployment's own (a ReplicaSet owned by the Hotfix; the Deployment is not changed and its pods are never "
      + "reduced), judged for canary.analysisSeconds by pod faults and the metric checks. Only a passing verdict lets "
      + "the Deployment be patched; a failing canary is removed and the Hotfix ends RolledBack. A StatefulSet's canary "
      + "is its rollingUpdate.partition: the patch holds the rollout at the canary.pods highest ordinals, and only a "
      + "passing verdict lowers the partition to 0; a failing one rolls those pods back, the others never replaced. "
      + "Not for DaemonSets. Absent: no canary.")
  public CanarySpec canary;
}
