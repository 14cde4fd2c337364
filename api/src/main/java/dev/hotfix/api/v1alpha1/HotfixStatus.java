package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the operator observed and did. Written by the operator only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HotfixStatus {

  /** Where the Hotfix is in its life. */
  @JsonPropertyDescription("Where the Hotfix is: Pending, AwaitingApproval, Scheduled, RollingOut, Verifying, "
      + "Succeeded, RollingBack, RolledBack, Rejected, Failed, Superseded or Previewed. The last six are terminal "
      + "(Previewed: a dry run ended, nothing was changed).")
  public Phase phase;

  /** The spec generation this status describes. */
  @JsonPropertyDescription("The metadata.generation of the spec this status describes; a new generation of a "
      + "terminal Hotfix is a new attempt.")
  public Long observedGeneration;

  /** kstatus conditions plus Approved, Verified and RolledBack. */
  @JsonPropertyDescription("Conditions following kstatus (Ready, Reconciling, Stalled) plus Approved, Verified and "
      + "RolledBack, each with a stable reason.")
  public List<Condition> conditions = new ArrayList<>();

  /** A human-readable summary of the current state. */
  @JsonPropertyDescription("A human-readable summary of the current state, or what to fix when Rejected.")
  public String message;

  /** The revision the Hotfix replaced, recorded before anything was changed. */
  @JsonPropertyDescription("The revision this Hotfix replaced, recorded before the Deployment was changed; rollback "
      + "restores exactly this.")
  public RevisionRecord previous;

  /** The last revision known good, the rollback target when the replaced revision was already failing. */
  @JsonPropertyDescription("The revision a rollback restores when the replaced one (previous) was already failing: "
      + "the last revision a Hotfix verified (annotation hotfix.dev/last-good), or else the newest older revision with "
      + "available pods. Absent when previous was healthy, or when no revision is known good: then a failing Hotfix "
      + "stops in Failed instead of rolling back into the outage.")
  public RevisionRecord lastKnownGood;

  /** The revision the Hotfix rolled out. */
  @JsonPropertyDescription("The revision this Hotfix rolled out.")
  public RevisionRecord applied;

  /** What pre-flight found before the first write. */
  @Size(max = 40)
  @JsonPropertyDescription("What pre-flight found before the first write to the Deployment, one entry per check; a "
      + "failed one ended the Hotfix Rejected with nothing changed.")
  public List<PreflightResult> preflight;

  /** The patch pre-flight dry-ran, before and after. */
  @JsonPropertyDescription("The patch of the Deployment that pre-flight had the API server dry-run: what a dry run "
      + "(spec.dryRun) would apply, or what this Hotfix applied. `kubectl hotfix diff` prints it.")
  public PatchRecord patch;

  /** The canary's progress and verdict, with spec.rollout.canary. */
  @JsonPropertyDescription("The canary's progress (pods ready, when the analysis ends) and its verdict; absent "
      + "without spec.rollout.canary.")
  public CanaryStatus canary;

  /** How many pods run the new images and for how long, before the verdict, against the declared bound. */
  @JsonPropertyDescription("The blast radius: how many pods run the new images now and at most before the "
      + "verdict, the longest any ran, and the bound held (the canary's pods, or the Deployment's replicas plus "
      + "maxSurge); absent until the Hotfix starts rolling out.")
  public ExposureStatus exposure;

  /** The state of each metric check. */
  @JsonPropertyDescription("The state of each metric check: last value and counts per outcome.")
  public List<CheckStatus> checks;

  /** Why the Hotfix rolled back (check, value, threshold; or pod fault; or deadline; or abort). */
  @JsonPropertyDescription("Why the Hotfix rolled back: which check with what value against which threshold, which "
      + "pod fault in which pod, the deadline, or a manual abort.")
  public String rollbackReason;

  /** Why the Hotfix rolled back, machine-readable; set with rollbackReason. */
  @JsonPropertyDescription("Why the Hotfix rolled back, machine-readable, set with rollbackReason: Check, PodFault, "
      + "Deadline, Abort (spec.abort), Deleted (deleted with spec.rollback.onDelete: RollBack) or CanaryDeleted "
      + "(its canary ReplicaSet deleted by someone else).")
  public RollbackCause rollbackCause;

  /** When the operator started acting on this generation. */
  @JsonPropertyDescription("When the operator started acting on this generation (RFC 3339).")
  public String startedAt;

  /** When the rollout completed and the bake period began. */
  @JsonPropertyDescription("When the rollout completed and the bake period began (RFC 3339); the bake ends "
      + "verification.bakeSeconds later, also across operator restarts.")
  public String bakeStartedAt;

  /** When the rollback began. */
  @JsonPropertyDescription("When the rollback began (RFC 3339); it must be healthy within the rollout's "
      + "progressDeadlineSeconds, or the Hotfix ends Failed.")
  public String rollbackStartedAt;

  /** When the Hotfix reached a terminal phase. */
  @JsonPropertyDescription("When the Hotfix reached a terminal phase (RFC 3339).")
  public String finishedAt;

  /** Who asked for the hot fix. */
  @JsonPropertyDescription("Who created the Hotfix, as the admission webhook stamped it (hotfix.dev/requested-by); "
      + "empty when unknown.")
  public String requestedBy;

  /** Whether requestedBy was verified. */
  @JsonPropertyDescription("true when the admission webhook stamped requestedBy from the API server's "
      + "authentication; false when it is unverified.")
  public Boolean requesterVerified;

  /** The decisions on this Hotfix. */
  @Size(max = 50)
  @JsonPropertyDescription("The HotfixApprovals for this Hotfix, as the operator weighed them against the policy.")
  public List<ApprovalRecord> approvals;

  /** Break-glass: shipped without approval, to be reviewed after. */
  @JsonPropertyDescription("true when the policy flags this hot fix for review after it ships (break-glass, e.g. "
      + "Critical without approval).")
  public Boolean reviewRequired;

  /** Set when the Hotfix recurs: the target had too many hot fixes within the policy's window. */
  @JsonPropertyDescription("Set when this is a recurring hot fix: its target had spec.recurrence.threshold or more hot "
      + "fixes (this one included) within the HotfixPolicy's spec.recurrence.window. Absent otherwise.")
  public RecurrenceRecord recurrence;

  /** Set with a terminal phase that gives the Deployment back to its owner. */
  @JsonPropertyDescription("Set with a terminal phase that gives the Deployment back to its owner: once that phase is "
      + "stored, the operator removes the hotfix.dev/ lock annotations from the Deployment and restores the owner's "
      + "rollout strategy, if the Deployment still names this attempt. Absent when the Deployment is left as it is "
      + "(ROLLBACK FAILED, Superseded, never patched).")
  public ReleaseRecord release;

  /** The incident report. */
  @JsonPropertyDescription("The name of the ConfigMap holding the incident report, written when the Hotfix ends.")
  public String report;

  /** The SHA-256 of the incident report last written. */
  @JsonPropertyDescription("The SHA-256 (hex) of the incident report (report.md) last written to the ConfigMap "
      + "status.report names. The operator writes the report after the terminal phase is stored, again whenever the "
      + "report it would write differs, and never otherwise: a report deleted on purpose stays deleted.")
  public String reportDigest;

  /** The most recent phase changes, oldest first. */
  @Size(max = 100)
  @JsonPropertyDescription("The phase changes and notable events, oldest first (bounded; the incident report keeps "
      + "the whole story).")
  public List<TimelineEntry> timeline;
}
