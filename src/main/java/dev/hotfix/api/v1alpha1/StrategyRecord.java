package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.IntOrString;

/** A Deployment's rollout settings, as the owner had them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StrategyRecord {

  /** RollingUpdate or Recreate. */
  @JsonPropertyDescription("The strategy type: RollingUpdate or Recreate.")
  public String type;

  /** The owner's maxSurge. */
  @JsonPropertyDescription("The owner's maxSurge.")
  public IntOrString maxSurge;

  /** The owner's maxUnavailable. */
  @JsonPropertyDescription("The owner's maxUnavailable.")
  public IntOrString maxUnavailable;

  /** The owner's progressDeadlineSeconds. */
  @JsonPropertyDescription("The owner's progressDeadlineSeconds.")
  public Integer progressDeadlineSeconds;
}
