package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Whether the operator could use the policy. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HotfixPolicyStatus {

  /** The spec generation this status describes. */
  @JsonPropertyDescription("The metadata.generation this status describes.")
  public Long observedGeneration;

  /** Ready when the operator applies the policy; with a reason and message otherwise. */
  @JsonPropertyDescription("Ready when the operator can apply the policy; otherwise reason and message say what to "
      + "fix.")
  public List<Condition> conditions;
}
