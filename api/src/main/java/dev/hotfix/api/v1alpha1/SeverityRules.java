package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One rule per severity; a severity left out keeps its built-in default. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SeverityRules {

  /** Rule for Critical hot fixes. */
  @JsonProperty("Critical")
  @JsonPropertyDescription("Rule for Critical hot fixes (default: allowed, 0 approvals, reviewAfter).")
  public SeverityRule critical;

  /** Rule for Major hot fixes. */
  @JsonProperty("Major")
  @JsonPropertyDescription("Rule for Major hot fixes (default: allowed, 1 approval).")
  public SeverityRule major;

  /** Rule for Minor hot fixes. */
  @JsonProperty("Minor")
  @JsonPropertyDescription("Rule for Minor hot fixes (default: not allowed).")
  public SeverityRule minor;

  /** Rule for Trivial hot fixes. */
  @JsonProperty("Trivial")
  @JsonPropertyDescription("Rule for Trivial hot fixes (default: not allowed).")
  public SeverityRule trivial;
}
