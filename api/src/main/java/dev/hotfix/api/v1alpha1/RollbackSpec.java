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
      + "false stops in Failed and leaves the new revision in place for a human; only where the namespace's "
      + "HotfixPolicy sets spec.limits.allowDisablingAutomaticRollback: true, otherwise the Hotfix is Rejected.")
  public Boolean automatic;

  /** What deleting the Hotfix mid-flight does. */
  @Default("RollBack")
  @JsonPropertyDescription("What deleting this Hotfix does while it is rolling out or verifying: RollBack "
      + "(default) restores the recorded previous revision before the Hotfix goes away; Leave keeps the new "
      + "revision and only gives the Deployment back to its owner's rollout strategy. Deleting a Hotfix in any "
      + "other phase changes nothing on the Deployment. Leave only where the namespace's HotfixPolicy sets "
      + "spec.limits.allowLeaveOnDelete: true; otherwise the Hotfix is Rejected.")
  public DeletionAction onDelete;
}
