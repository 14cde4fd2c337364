package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** An inclusive range a Hotfix's setting must stay within; either end may be left out. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.min) || !has(self.max) || self.min <= self.max", message = "min must not exceed max")
public class Bounds {

  /** The smallest value allowed. */
  @Min(0)
  @Max(86400)
  @JsonPropertyDescription("The smallest value a Hotfix may set (inclusive); absent: no lower bound.")
  public Integer min;

  /** The largest value allowed. */
  @Min(0)
  @Max(86400)
  @JsonPropertyDescription("The largest value a Hotfix may set (inclusive); absent: no upper bound.")
  public Integer max;

  public Bounds() {
  }

  public Bounds(Integer min, Integer max) {
    this.min = min;
    this.max = max;
  }
}
