package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.IntOrString;

/**
 * A workload's rollout settings, as the owner had them: a Deployment's {@code strategy} and
 * {@code progressDeadlineSeconds}, or a StatefulSet's or DaemonSet's {@code updateStrategy}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StrategyRecord {

  /** RollingUpdate, Recreate (Deployment) or OnDelete (StatefulSet, DaemonSet). */
  @JsonPropertyDescription("The strategy type: RollingUpdate, Recreate (Deployment) or OnDelete (StatefulSet, "
      + "DaemonSet).")
  public String type;

  /** The owner's maxSurge. */
  @JsonPropertyDescription("The owner's maxSurge.")
  public IntOrString maxSurge;

  /** The owner's maxUnavailable. */
  @JsonPropertyDescription("The owner's maxUnavailable.")
  public IntOrString maxUnavailable;

  /** A StatefulSet's rollingUpdate.partition: ordinals below it keep the old revision. */
  @JsonPropertyDescription("The owner's partition (StatefulSet only).")
  public Integer partition;

  /** The owner's progressDeadlineSeconds. */
  @JsonPropertyDescription("The owner's progressDeadlineSeconds.")
  public Integer progressDeadlineSeconds;
}
