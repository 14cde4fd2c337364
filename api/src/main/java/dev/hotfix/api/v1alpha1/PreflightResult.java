package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One pre-flight check's outcome, asked before the first write to the Deployment. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PreflightResult {

  /** Which check, e.g. {@code dry-run}, {@code quota}, {@code rollback-target}, {@code check/error-rate}. */
  @JsonPropertyDescription("Which pre-flight check: dry-run (the API server's dry run of the exact patch), quota "
      + "(room for the rollout's first new pod), rollback-target (the ReplicaSet a rollback restores), "
      + "rollback-references (the ConfigMaps and Secrets its pod template uses), or check/NAME (the metric check's "
      + "query has data now).")
  public String name;

  /** Whether it passed. */
  @JsonPropertyDescription("true when the check passed; false when it refused the Hotfix (then it ends Rejected "
      + "and nothing was changed).")
  public Boolean passed;

  /** What was found, or what to fix. */
  @JsonPropertyDescription("What was found, or what to fix.")
  public String message;

  public PreflightResult() {
  }

  public PreflightResult(String name, boolean passed, String message) {
    this.name = name;
    this.passed = passed;
    this.message = message;
  }
}
