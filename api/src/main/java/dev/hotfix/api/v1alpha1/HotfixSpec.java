package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * What to change, why, and how to roll it out and judge it. Immutable once created, except
 * {@code abort}: an approval covers exactly what was approved (transition rules, so the API
 * server refuses the edit; a new field needs its own rule here).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.severity == oldSelf.severity", fieldPath = ".severity",
    message = "spec.severity is immutable: create a new Hotfix for a different severity (only spec.abort may change)")
@ValidationRule(value = "self.reason == oldSelf.reason", fieldPath = ".reason",
    message = "spec.reason is immutable: create a new Hotfix for a different reason (only spec.abort may change)")
@ValidationRule(value = "has(self.ticket) == has(oldSelf.ticket) && (!has(self.ticket) || self.ticket == oldSelf.ticket)", fieldPath = ".ticket",
    message = "spec.ticket is immutable: create a new Hotfix for a different ticket (only spec.abort may change)")
@ValidationRule(value = "self.target == oldSelf.target", fieldPath = ".target",
    message = "spec.target is immutable: create a new Hotfix for a different Deployment (only spec.abort may change)")
@ValidationRule(value = "self.containers == oldSelf.containers", fieldPath = ".containers",
    message = "spec.containers is immutable: create a new Hotfix for a different image (only spec.abort may change)")
@ValidationRule(value = "has(self.rollout) == has(oldSelf.rollout) && (!has(self.rollout) || self.rollout == oldSelf.rollout)", fieldPath = ".rollout",
    message = "spec.rollout is immutable: create a new Hotfix for different rollout settings (only spec.abort may change)")
@ValidationRule(value = "has(self.verification) == has(oldSelf.verification) && (!has(self.verification) || self.verification == oldSelf.verification)", fieldPath = ".verification",
    message = "spec.verification is immutable: create a new Hotfix for different checks (only spec.abort may change)")
@ValidationRule(value = "has(self.rollback) == has(oldSelf.rollback) && (!has(self.rollback) || self.rollback == oldSelf.rollback)", fieldPath = ".rollback",
    message = "spec.rollback is immutable: create a new Hotfix for different rollback settings (only spec.abort may change)")
@ValidationRule(value = "has(self.dryRun) == has(oldSelf.dryRun) && (!has(self.dryRun) || self.dryRun == oldSelf.dryRun)", fieldPath = ".dryRun",
    message = "spec.dryRun is immutable: create a new Hotfix without dryRun to ship what it previewed (only spec.abort may change)")
public class HotfixSpec {

  /** How bad the problem is; the namespace's HotfixPolicy decides what each severity may do. */
  @Required
  @JsonPropertyDescription("How bad the production problem is: Trivial, Minor, Major or Critical. The namespace's "
      + "HotfixPolicy decides per severity whether it may ship as a hot fix and how many approvals it needs.")
  public Severity severity;

  /** Why this hot fix is needed, for the timeline, notifications and the incident report. */
  @Required
  @Size(min = 1, max = 1024)
  @Pattern(ApiPatterns.PRINTABLE_TEXT)
  @JsonPropertyDescription("Why this hot fix is needed (free text, up to 1024 characters, no control characters "
      + "but tab and line breaks). It appears in the timeline, notifications and the incident report.")
  public String reason;

  /** The incident or change ticket, e.g. INC-4711. */
  @Size(max = 128)
  @Pattern(ApiPatterns.PRINTABLE_TEXT)
  @JsonPropertyDescription("The incident or change ticket this hot fix belongs to, e.g. INC-4711 (optional; no "
      + "control characters but tab and line breaks).")
  public String ticket;

  /** The workload to patch, in the Hotfix's own namespace. */
  @Required
  @JsonPropertyDescription("The workload to patch, in the Hotfix's own namespace.")
  public TargetRef target;

  /** The patched image of each container to change. */
  @Required
  @Size(min = 1, max = 32)
  @ValidationRule(value = "self.all(c, self.exists_one(d, d.name == c.name))",
      message = "container names must be unique")
  @JsonPropertyDescription("The patched image for each container to change (one or more). Each name must be a "
      + "container or init container of the target's pod template; containers not listed keep their images.")
  public List<ContainerImage> containers;

  /** How to roll the new images out. */
  @Default("{}")
  @JsonPropertyDescription("How to roll the new images out: surge, availability, deadlines and pod fault limits.")
  public RolloutSpec rollout;

  /** How to judge the new revision while rolling out and during the bake period. */
  @Default("{}")
  @JsonPropertyDescription("How to judge the new revision while it rolls out and during the bake period after it.")
  public VerificationSpec verification;

  /** What to do when a check fails. */
  @Default("{}")
  @JsonPropertyDescription("What to do when a check fails.")
  public RollbackSpec rollback;

  /** Preview only: run governance and pre-flight, record the patch and the checks' values, change nothing. */
  @Default("false")
  @JsonPropertyDescription("true: a dry run. The Hotfix goes through the policy (approvals, windows) and pre-flight "
      + "(the API server's dry run of the exact patch, quota, rollback readiness, the checks' queries), records the "
      + "patch it would apply (status.patch, `kubectl hotfix diff`) and the checks' current values (status.checks), "
      + "and ends Previewed without changing the Deployment. Immutable: to ship what was previewed, create the "
      + "Hotfix again without dryRun (its approvals are its own).")
  public Boolean dryRun;

  /** Set true to roll back now. */
  @Default("false")
  @JsonPropertyDescription("Set to true (kubectl patch, or `kubectl hotfix rollback`) to roll back to the recorded "
      + "previous revision now.")
  public Boolean abort;
}
