package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;

/**
 * A canary before the rollout: the new images first run on a few extra pods beside the
 * Deployment's own, and only a passing verdict lets the Deployment be patched.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "type(self.pods) == int ? self.pods >= 1 : self.pods.matches('^[1-9][0-9]?%$')",
    message = "canary.pods must be an integer of at least 1 or a percentage from 1% to 99% such as \"10%\"",
    fieldPath = ".pods")
public class CanarySpec {

  /** How many canary pods, as a count or a percentage of the Deployment's replicas. */
  @Required
  @JsonPropertyDescription("How many pods run the new images during the canary, beside (not instead of) the "
      + "Deployment's own: an integer of at least 1, or a percentage of the Deployment's replicas such as \"10%\" "
      + "(rounded up). Must come to fewer pods than the Deployment's replicas, or the Hotfix is Rejected. With no "
      + "service mesh, a Service spreads requests over all ready pods alike, so the canary gets about "
      + "pods / (replicas + pods) of the traffic (1 canary beside 3 replicas: 25%).")
  public IntOrString pods;

  /** How long the canary is judged once all its pods are ready. */
  @Default("60")
  @Min(1)
  @Max(86400)
  @JsonPropertyDescription("Seconds the canary is judged once all its pods are ready: pod faults and every metric "
      + "check (checks using {{canary}} and {{baseline}} compare the canary's pods with the Deployment's own over "
      + "the same window). The verdict passes when the time is up, no pod fault was seen and every check passed at "
      + "least once; only then is the Deployment patched. Default 60.")
  public Integer analysisSeconds;
}
