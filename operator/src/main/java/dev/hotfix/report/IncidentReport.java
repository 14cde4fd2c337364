package dev.hotfix.report;

import dev.hotfix.api.v1alpha1.ApprovalRecord;
import dev.hotfix.api.v1alpha1.CheckSpec;
import dev.hotfix.api.v1alpha1.CheckStatus;
import dev.hotfix.api.v1alpha1.ContainerImage;
import dev.hotfix.api.v1alpha1.ExposureStage;
import dev.hotfix.api.v1alpha1.ExposureStatus;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixSpec;
import dev.hotfix.api.v1alpha1.HotfixStatus;
import dev.hotfix.api.v1alpha1.ImageRecord;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.PreflightResult;
import dev.hotfix.api.v1alpha1.RecurrenceRecord;
import dev.hotfix.api.v1alpha1.RevisionRecord;
import dev.hotfix.api.v1alpha1.TargetKind;
import dev.hotfix.api.v1alpha1.TimelineEntry;
import dev.hotfix.policy.RecurrencePolicy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The incident report of an ended Hotfix, as Markdown: what and why, who asked and who
 * approved (verified or not), whether it recurs, the outcome and the rollback reason, time to detect and to
 * restore, images before and after, every check with its counts, the timeline, and the
 * "lessons learned" prompts the team fills in afterwards. docs/incident-report.md explains each
 * part. Rendered only from the Hotfix (spec and status), so it says exactly what the operator
 * recorded.
 */
public final class IncidentReport {
  /** The ConfigMap's key holding the Markdown. */
  public static final String KEY = "report.md";
  /** The label naming the Hotfix on its report ConfigMap. */
  public static final String HOTFIX_LABEL = "hotfix.dev/hotfix";
  private static final String UNKNOWN = "unknown";

  private IncidentReport() {
  }

  /** The report's ConfigMap name for Hotfix {@code hotfix}: {@code <hotfix>-report}. */
  public static String configMapName(String hotfix) {
    return hotfix + "-report";
  }

  /**
   * The SHA-256 (hex) of a rendered report: recorded in status.reportDigest when written, so the
   * report is written again only when it would say something else.
   */
  public static String digest(String markdown) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(markdown.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** The Markdown report of {@code hotfix}. */
  public static String render(Hotfix hotfix) {
    HotfixSpec spec = hotfix.getSpec();
    HotfixStatus s = hotfix.getStatus() == null ? new HotfixStatus() : hotfix.getStatus();
    String name = hotfix.getMetadata().getName();
    StringBuilder md = new StringBuilder();
    md.append("# Incident report: Hotfix ").append(name).append("\n\n");
    md.append("**Outcome: ").append(s.phase == null ? UNKNOWN : s.phase).append("**");
    md.append(s.message == null ? "" : ": " + oneLine(s.message)).append("\n\n");

    md.append("| | |\n|---|---|\n");
    row(md, "Hotfix", code(hotfix.getMetadata().getNamespace() + "/" + name));
    row(md, "Severity", String.valueOf(spec.severity));
    row(md, "Reason", cell(spec.reason));
    row(md, "Ticket", spec.ticket == null ? "none" : cell(spec.ticket));
    row(md, "Target", (spec.target == null || spec.target.kind == null ? "Deployment" : spec.target.kind.name()) + " "
        + code(spec.target == null ? UNKNOWN : spec.target.name));
    row(md, "Requested by", cell(identity(s.requestedBy, s.requesterVerified)));
    row(md, "Review", Boolean.TRUE.equals(s.reviewRequired)
        ? "**break-glass**: shipped without the usual approvals; review required" : "not flagged for review");
    if (s.recurrence != null) {
      row(md, "Recurrence", "**" + recurring(spec, s.recurrence) + "**" + (s.recurrence.earlier == null
          || s.recurrence.earlier.isEmpty() ? "" : " (earlier: " + cell(String.join(", ", s.recurrence.earlier)) + ")"));
    }
    row(md, "Created", cell(hotfix.getMetadata().getCreationTimestamp()));
    row(md, "Started", s.startedAt == null ? "never (nothing was changed)" : s.startedAt);
    row(md, "Finished", cell(s.finishedAt));

    md.append("\n## Outcome\n\n").append(outcome(s, kindOf(spec))).append("\n");
    if (s.rollbackReason != null) {
      md.append("\nRollback reason: ").append(oneLine(s.rollbackReason)).append("\n");
    }
    IncidentTimes times = IncidentTimes.of(s);
    if (times.any()) {
      md.append("\n| | |\n|---|---|\n");
      if (s.rollbackReason != null) {
        row(md, "Time to detect (rollout started → rollback decided)", IncidentTimes.format(times.toDetect()));
        String never = s.phase == Phase.Failed ? "never (the Hotfix ended Failed)" : "unknown";
        row(md, "Time to restore (rollout started → previous revision healthy again)",
            times.toRestore().map(IncidentTimes::format).orElse(never));
        row(md, "Rollback (decided → previous revision healthy again)",
            times.rollback().map(IncidentTimes::format).orElse(never));
      }
      times.toShip().ifPresent(d -> row(md, "Rolled out in (started → all new pods available)",
          IncidentTimes.format(d)));
    }

    if (s.exposure != null) {
      md.append("\nExposure: ").append(exposure(s.exposure, TargetKind.of(hotfix.getSpec().target), Instant.now())).append("\n");
    }

    md.append("\n## Images\n\n");
    images(md, spec, s);
    md.append("\n## Approvals\n\n");
    approvals(md, s.approvals);
    md.append("\n## Pre-flight\n\n");
    preflight(md, s.preflight);
    md.append("\n## Checks\n\n");
    checks(md, spec, s);
    md.append("\n## Timeline\n\n");
    timeline(md, s);
    md.append("\n## Lessons learned\n\n");
    lessons(md, spec, s);
    return md.toString();
  }

  private static String kindOf(HotfixSpec spec) {
    return spec.target == null || spec.target.kind == null ? "Deployment" : spec.target.kind.name();
  }

  private static String outcome(HotfixStatus s, String kind) {
    if (s.phase == null) {
      return "The Hotfix has no recorded phase.";
    }
    return switch (s.phase) {
      case Succeeded -> "The new images rolled out and passed verification; they stay.";
      case RolledBack -> (s.rollbackCause == null ? "The Hotfix was rolled back" : s.rollbackCause.words())
          + ": the operator restored the exact previous revision, which is "
          + "healthy again.";
      case Failed -> s.rollbackStartedAt != null
          ? "**ROLLBACK FAILED**: the operator restored the previous revision's exact pod template, but that "
              + "revision did not become healthy again; the " + kind + " needs a human now."
          : "The Hotfix could not finish and the operator could not (or was told not to) roll back: "
              + "the " + kind + " needs a human.";
      case Rejected -> "The Hotfix was refused before anything was changed.";
      case Superseded -> "Someone else changed the " + kind + " while the Hotfix was in flight; the operator "
          + "stepped aside without touching it again.";
      case Previewed -> "A dry run: the Hotfix passed the policy and pre-flight; the patch it would apply is in "
          + "status.patch (`kubectl hotfix diff`). Nothing was changed.";
      default -> "The Hotfix has not ended (phase " + s.phase + ").";
    };
  }

  /** What pre-flight found before the first write, one row per check. */
  private static void preflight(StringBuilder md, List<PreflightResult> results) {
    if (results == null || results.isEmpty()) {
      md.append("Pre-flight did not run (the Hotfix ended before it).\n");
      return;
    }
    md.append("| check | result | found |\n|---|---|---|\n");
    for (PreflightResult r : results) {
      md.append("| ").append(cell(r.name)).append(" | ").append(Boolean.TRUE.equals(r.passed) ? "passed" : "**refused**")
          .append(" | ").append(cell(r.message)).append(" |\n");
    }
  }

  /** What an exposure bound of {@code stage} is made of, for a target of {@code kind}. */
  public static String boundOf(ExposureStage stage, TargetKind kind) {
    if (stage == ExposureStage.Canary) {
      return "spec.rollout.canary.pods";
    }
    return switch (kind) {
      case StatefulSet -> "replicas, replaced in place";
      case DaemonSet -> "desired pods + maxSurge";
      case Deployment -> "replicas + maxSurge";
    };
  }

  /**
   * The blast radius in words ({@code status.exposure}): pods on the new images now and at most
   * against the bound, and the longest any ran before the verdict (or, before one, how long the
   * first has run by {@code now}).
   */
  public static String exposure(ExposureStatus e, TargetKind kind, Instant now) {
    String bound = boundOf(e.stage, kind);
    StringBuilder sb = new StringBuilder().append(count(e.podsOnNewRevision)).append(" pod(s) on the new images now, ")
        .append(count(e.maxPodsOnNewRevision)).append(" at most before the verdict (bound ").append(count(e.bound))
        .append(": ").append(bound).append(")");
    if (e.verdictAt != null) {
      sb.append("; the longest ran ").append(e.longestExposureSeconds == null ? 0 : e.longestExposureSeconds)
          .append("s before the verdict at ").append(e.verdictAt);
    } else if (e.firstPodCreatedAt != null) {
      sb.append("; the first has run ").append(Duration.between(Instant.parse(e.firstPodCreatedAt), now).toSeconds())
          .append("s, no verdict yet");
    }
    return sb.toString();
  }

  private static void images(StringBuilder md, HotfixSpec spec, HotfixStatus s) {
    Map<String, String> before = byContainer(s.previous);
    Map<String, String> after = byContainer(s.applied);
    Set<String> containers = new LinkedHashSet<>(before.keySet());
    List<ContainerImage> wanted = Objects.requireNonNullElse(spec.containers, List.of());
    wanted.forEach(c -> containers.add(c.name));
    Map<String, String> requested = wanted.stream().collect(Collectors.toMap(c -> c.name, c -> c.image, (a, b) -> a));
    md.append("| container | before").append(revision(s.previous)).append(" | after").append(revision(s.applied))
        .append(" |\n|---|---|---|\n");
    for (String c : containers) {
      String was = before.get(c);
      String now = after.getOrDefault(c, requested.get(c));
      md.append("| ").append(cell(c)).append(" | ").append(was == null ? "not recorded" : code(was)).append(" | ")
          .append(now == null ? "unchanged" : code(now) + (after.containsKey(c) ? "" : " (requested, not applied)"))
          .append(" |\n");
    }
  }

  private static String revision(RevisionRecord r) {
    return r == null || r.revision == null ? "" : " (revision " + r.revision
        + (r.podTemplateHash == null ? "" : ", " + r.podTemplateHash) + ")";
  }

  private static Map<String, String> byContainer(RevisionRecord r) {
    if (r == null || r.images == null) {
      return Map.of();
    }
    return r.images.stream().filter(i -> i.name != null && i.image != null)
        .collect(Collectors.toMap(i -> i.name, (ImageRecord i) -> i.image, (a, b) -> a,
            java.util.LinkedHashMap::new));
  }

  private static void approvals(StringBuilder md, List<ApprovalRecord> approvals) {
    if (approvals == null || approvals.isEmpty()) {
      md.append("no approvals recorded\n");
      return;
    }
    md.append("| approver | decision | counted | at | comment |\n|---|---|---|---|---|\n");
    for (ApprovalRecord a : approvals) {
      md.append("| ").append(cell(identity(a.approver, a.verified))).append(" | ").append(a.decision == null ? UNKNOWN
          : a.decision).append(" | ").append(a.counted == null ? UNKNOWN : Boolean.TRUE.equals(a.counted) ? "yes"
          : "no" + (a.message == null ? "" : ": " + cell(a.message))).append(" | ").append(cell(a.at))
          .append(" | ").append(a.comment == null ? "" : cell(a.comment)).append(" |\n");
    }
  }

  private static void checks(StringBuilder md, HotfixSpec spec, HotfixStatus s) {
    List<CheckSpec> specs = spec.verification == null || spec.verification.checks == null ? List.of()
        : spec.verification.checks;
    List<CheckStatus> statuses = Objects.requireNonNullElse(s.checks, List.of());
    md.append("Rollout progress and pod faults (crash loops, image pull errors, restarts, readiness) were judged on "
        + "every change of the " + kindOf(spec) + " and its pods; their findings are in the outcome and the timeline.\n\n");
    if (specs.isEmpty() && statuses.isEmpty()) {
      md.append("No metric checks were configured.\n");
      return;
    }
    Map<String, CheckStatus> byName = statuses.stream()
        .collect(Collectors.toMap(c -> c.name, Function.identity(), (a, b) -> a));
    md.append("| check | fails when | last value | passed | failed | no data | errors | last measured | last message |\n")
        .append("|---|---|---|---|---|---|---|---|---|\n");
    Set<String> names = new LinkedHashSet<>();
    specs.forEach(c -> names.add(c.name));
    statuses.forEach(c -> names.add(c.name));
    Map<String, CheckSpec> specByName = specs.stream()
        .collect(Collectors.toMap(c -> c.name, Function.identity(), (a, b) -> a));
    for (String n : names) {
      CheckSpec c = specByName.get(n);
      CheckStatus st = byName.getOrDefault(n, new CheckStatus());
      md.append("| ").append(cell(n)).append(" | ")
          .append(c == null ? "" : c.job != null ? "its Job fails or times out" : code(c.failWhen)).append(" | ")
          .append(st.lastValue == null ? "never measured" : code(st.lastValue)).append(" | ")
          .append(count(st.passed)).append(" | ").append(count(st.failed)).append(" | ").append(count(st.noData))
          .append(" | ").append(count(st.errors)).append(" | ").append(cell(st.lastMeasuredAt)).append(" | ")
          .append(st.lastMessage == null ? "" : cell(st.lastMessage)).append(" |\n");
    }
    if (specs.stream().anyMatch(c -> c.prometheus != null)) {
      md.append("\nQueries:\n\n");
      for (CheckSpec c : specs) {
        if (c.prometheus != null) {
          md.append("- ").append(c.name).append(": ").append(code(c.prometheus.query)).append("\n");
        }
      }
    }
    smokeTests(md, specs, byName);
  }

  /** Each job check's Job and the tail of its pod's log: why a smoke test failed, in its own words. */
  private static void smokeTests(StringBuilder md, List<CheckSpec> specs, Map<String, CheckStatus> byName) {
    List<CheckSpec> jobs = specs.stream().filter(c -> c.job != null).toList();
    if (jobs.isEmpty()) {
      return;
    }
    md.append("\nSmoke-test Jobs:\n");
    for (CheckSpec c : jobs) {
      CheckStatus st = byName.getOrDefault(c.name, new CheckStatus());
      md.append("\n- ").append(c.name).append(": PodTemplate ").append(code(c.job.podTemplate)).append(", Job ")
          .append(st.job == null ? "never created" : code(st.job)).append("\n");
      if (st.logTail != null && !st.logTail.isEmpty()) {
        String fence = st.logTail.contains("```") ? "~~~~" : "```";
        md.append("\n  Last lines of its pod's log:\n\n  ").append(fence).append("\n");
        for (String line : st.logTail.split("\n")) {
          md.append("  ").append(line).append("\n");
        }
        md.append("  ").append(fence).append("\n");
      } else if (st.job != null) {
        md.append("  (no log was read: the Job had not finished, or its pod was gone)\n");
      }
    }
  }

  private static void timeline(StringBuilder md, HotfixStatus s) {
    List<TimelineEntry> entries = Objects.requireNonNullElse(s.timeline, List.of());
    if (entries.isEmpty()) {
      md.append("no timeline recorded\n");
      return;
    }
    Optional<Instant> first = IncidentTimes.instant(entries.get(0).time);
    md.append("| time (UTC) | after | phase | what happened |\n|---|---|---|---|\n");
    for (TimelineEntry e : entries) {
      String offset = first.flatMap(f -> IncidentTimes.instant(e.time).map(t -> "+" + IncidentTimes.format(Duration.between(f, t))))
          .orElse("");
      md.append("| ").append(cell(e.time)).append(" | ").append(offset).append(" | ")
          .append(e.phase == null ? "" : e.phase).append(" | ").append(cell(e.message)).append(" |\n");
    }
  }

  private static void lessons(StringBuilder md, HotfixSpec spec, HotfixStatus s) {
    String images = Objects.requireNonNullElse(spec.containers, List.<ContainerImage>of()).stream()
        .map(c -> code(c.image)).collect(Collectors.joining(", "));
    md.append("_For the team to fill in at the review. Keep this ConfigMap's text in the incident ticket")
        .append(spec.ticket == null ? "" : " (" + spec.ticket + ")").append("._\n\n");
    md.append("- **Root cause:** what exactly was broken in production, and why?")
        .append(s.phase == Phase.RolledBack ? " And what was wrong with " + images + ", which had to be rolled back?"
            : "").append("\n");
    md.append("- **Why wasn't it caught before release?** Which test, review, staging check or alert would have "
        + "caught it, and why didn't it?\n");
    md.append("- **Permanent fix for the next release:** the change that ships with the next scheduled release (a hot "
        + "fix is a patch; make sure the fix also lands on the main line so the next release does not undo it).\n");
    md.append("- **Follow-up owner and ticket:** who owns each action above, and where it is tracked.\n");
    if (s.recurrence != null) {
      md.append("- **Recurrence:** ").append(recurring(spec, s.recurrence)).append(". What keeps breaking this target, "
          + "and which change to how it is built, tested or released stops the next hot fix?\n");
    }
    if (Boolean.TRUE.equals(s.reviewRequired)) {
      md.append("- **Break-glass review:** this hot fix shipped without the usual approvals. Was that justified by "
          + "the severity, and who reviewed it afterwards?\n");
    }
  }

  private static String recurring(HotfixSpec spec, RecurrenceRecord r) {
    return cell(RecurrencePolicy.describe(r.count == null ? 0 : r.count, spec.target == null ? UNKNOWN
        : spec.target.name, r.window));
  }

  /** {@code alice (verified)}, {@code bob (unverified)}, or {@code unknown}: how reports and the CLI name people. */
  public static String identity(String user, Boolean verified) {
    if (user == null || user.isBlank()) {
      return UNKNOWN;
    }
    return user + (Boolean.TRUE.equals(verified) ? " (verified)" : " (unverified)");
  }

  private static void row(StringBuilder md, String label, String value) {
    md.append("| ").append(label).append(" | ").append(value).append(" |\n");
  }

  private static String count(Integer n) {
    return n == null ? "0" : n.toString();
  }

  /** Text safe in a Markdown table cell: one line, pipes escaped. */
  private static String cell(String text) {
    return text == null ? "" : oneLine(text).replace("|", "\\|");
  }

  private static String oneLine(String text) {
    return text.replace("\r", "").replace('\n', ' ');
  }

  /** Inline code that survives backticks and pipes in the text. */
  private static String code(String text) {
    if (text == null) {
      return "";
    }
    String t = cell(text);
    return t.contains("`") ? "`` " + t + " ``" : "`" + t + "`";
  }
}
