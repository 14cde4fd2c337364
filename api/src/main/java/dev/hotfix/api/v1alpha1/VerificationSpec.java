package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** How the new revision is judged while rolling out and during the bake period. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VerificationSpec {

  /** How long to keep checking after the rollout completes. */
  @Default("120")
  @Min(0)
  @Max(86400)
  @JsonPropertyDescription("Seconds to keep checking after the rollout completes before the Hotfix succeeds. "
      + "Default 120.")
  public Integer bakeSeconds;

  /** Seconds between two measurements of each check. */
  @Default("15")
  @Min(1)
  @Max(3600)
  @JsonPropertyDescription("Seconds between two measurements of each check. Default 15.")
  public Integer intervalSeconds;

  /** Metric checks, in addition to rollout progress and pod faults (always checked). */
  @Size(max = 20)
  @ValidationRule(value = "self.all(c, self.exists_one(d, d.name == c.name))", message = "check names must be unique")
  @JsonPropertyDescription("Metric checks run during the rollout and the bake period. Rollout progress and pod faults "
      + "are always checked, without being listed here.")
  public List<CheckSpec> checks;
}
