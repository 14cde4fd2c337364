package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The rules; any part left out falls back to the built-in defaults. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HotfixPolicySpec {

  /** Per-severity rules. */
  @JsonPropertyDescription("Per-severity rules. Built-in defaults: Critical allowed without approval and flagged for "
      + "review after; Major allowed with one approval; Minor and Trivial not allowed (wait for the next scheduled "
      + "release).")
  public SeverityRules severities;

  /** Who may approve. */
  @JsonPropertyDescription("Who may approve Hotfixes in this namespace (in addition to RBAC on HotfixApproval). "
      + "Empty: anyone RBAC lets create a HotfixApproval, except the requester.")
  public Approvers approvers;

  /** Who may declare break-glass Critical. */
  @JsonPropertyDescription("Who may declare a break-glass Critical Hotfix (one that ships without approval): listed "
      + "users and members of listed groups, with an identity the admission webhook verified. A Critical Hotfix "
      + "from anyone else is governed by the Major rule (approvals, windows, freezes) and says so in its status. "
      + "Empty or absent: anyone who may create a Hotfix may declare Critical.")
  public Approvers breakGlass;

  /** Which images may ship. */
  @JsonPropertyDescription("Which images a Hotfix may ship: allowed repositories and whether a digest is required. "
      + "Absent: any pinned image.")
  public ImageRules images;

  /** Which weakening settings a Hotfix may choose, and the range of its deadlines. */
  @JsonPropertyDescription("Which settings that weaken the safety net a Hotfix may choose (downtime, no automatic "
      + "rollback, onDelete: Leave; all refused by default) and the ranges its deadlines, bake and restart limit "
      + "must stay within.")
  public SafetyLimits limits;

  /** Recurring windows in which non-critical hot fixes may ship. */
  @Size(max = 50)
  @JsonPropertyDescription("Recurring windows in which hot fixes whose severity is limited to maintenance windows "
      + "may ship; outside them such Hotfixes wait in Scheduled.")
  public List<MaintenanceWindow> maintenanceWindows;

  /** Periods in which everything but Critical is held. */
  @Size(max = 50)
  @JsonPropertyDescription("Periods in which every Hotfix but a Critical one is held in Scheduled.")
  public List<FreezeWindow> freezeWindows;

  /** Where metric checks read from. */
  @JsonPropertyDescription("The Prometheus that metric checks query in this namespace; overrides the operator's "
      + "--prometheus-url.")
  public PrometheusEndpoint prometheus;

  /** Whom to tell. */
  @Size(max = 20)
  @JsonPropertyDescription("Where to send notifications about Hotfixes in this namespace.")
  public List<NotificationTarget> notifications;

  /** When hot fixes to one target count as recurring, and what that requires. */
  @JsonPropertyDescription("When hot fixes to one target count as recurring (default: the 3rd within 7 days) and "
      + "whether a recurring one must wait for an approval even when Critical. The operator keeps each target's "
      + "history in the ConfigMap hotfix-history-<target>.")
  public RecurrenceRule recurrence;
}
