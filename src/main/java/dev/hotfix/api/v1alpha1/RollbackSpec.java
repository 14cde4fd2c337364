package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** What to do when a check fails. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RollbackSpec {

  /** Roll back by itself on failure. */
  @Default("true")
  @JsonPropertyDescription("Roll back to the recorded previous revision by itself when a check fails (default true). "
      + "false stops in Failed and leaves the new revision in place for a human.")
  public Boolean automatic;
}
