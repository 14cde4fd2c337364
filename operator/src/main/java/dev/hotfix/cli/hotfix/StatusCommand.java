package dev.hotfix.cli.hotfix;

import dev.hotfix.api.v1alpha1.ApprovalRecord;
import dev.hotfix.api.v1alpha1.CanaryStatus;
import dev.hotfix.api.v1alpha1.CheckStatus;
import dev.hotfix.api.v1alpha1.ContainerImage;
import dev.hotfix.api.v1alpha1.FieldChange;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixSpec;
import dev.hotfix.api.v1alpha1.HotfixStatus;
import dev.hotfix.api.v1alpha1.ImageRecord;
import dev.hotfix.api.v1alpha1.PreflightResult;
import dev.hotfix.api.v1alpha1.RevisionRecord;
import dev.hotfix.api.v1alpha1.TargetKind;
import dev.hotfix.api.v1alpha1.TimelineEntry;
import dev.hotfix.policy.RecurrencePolicy;
import dev.hotfix.report.IncidentReport;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code hotfix status NAME}: one Hotfix for people: phase, message, images, approvals, pre-flight,
 * the patch's pod template changes, checks (for a dry run, their values now), timeline.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Shows one Hotfix: what and why, phase and message, images before and after, approvals, "
        + "pre-flight, the patch's pod template changes, checks and the timeline.")
final class StatusCommand extends ClusterCommand {
  private static final String LABEL = "%-14s%s%n";

  @Parameters(paramLabel = "NAME", description = "The Hotfix.")
  String name;

  @Override
  int run(Cluster cluster, PrintWriter out) {
    Hotfix h = cluster.hotfix(name);
    HotfixSpec spec = h.getSpec();
    HotfixStatus s = h.getStatus() == null ? new HotfixStatus() : h.getStatus();
    out.printf(LABEL, "Name:", h.getMetadata().getName());
    out.printf(LABEL, "Namespace:", h.getMetadata().getNamespace());
    out.printf(LABEL, "Target:", spec.target == null ? "" : TargetKind.of(spec.target) + " " + spec.target.name);
    out.printf(LABEL, "Severity:", spec.severity);
    out.printf(LABEL, "Reason:", spec.reason);
    out.printf(LABEL, "Ticket:", spec.ticket == null ? "none" : spec.ticket);
    out.printf(LABEL, "Requested by:", IncidentReport.identity(s.requestedBy, s.requesterVerified));
    if (Boolean.TRUE.equals(s.reviewRequired)) {
      out.printf(LABEL, "Review:", "break-glass: shipped without the usual approvals; review required");
    }
    if (s.recurrence != null) {
      out.printf(LABEL, "Recurrence:", RecurrencePolicy.describe(s.recurrence.count, spec.target.name,
          s.recurrence.window) + " (kubectl hotfix history " + spec.target.name + ")");
    }
    out.printf(LABEL, "Age:", HumanDuration.since(h.getMetadata().getCreationTimestamp(), Instant.now()));
    out.printf(LABEL, "Phase:", s.phase == null ? "(not yet seen by the operator)" : s.phase);
    if (s.message != null) {
      out.printf(LABEL, "Message:", s.message);
    }
    if (s.rollbackReason != null) {
      out.printf(LABEL, "Rolled back:", s.rollbackReason);
    }
    if (Boolean.TRUE.equals(spec.abort)) {
      out.printf(LABEL, "Abort:", "requested (spec.abort: true)");
    }
    if (Boolean.TRUE.equals(spec.dryRun)) {
      out.printf(LABEL, "Dry run:", "yes (spec.dryRun: true): pre-flight and a preview only, nothing is changed");
    }
    if (s.canary != null) {
      out.printf(LABEL, "Canary:", canary(s.canary));
    }
    if (s.exposure != null) {
      out.printf(LABEL, "Exposure:", IncidentReport.exposure(s.exposure, TargetKind.of(h.getSpec().target), Instant.now()));
    }
    out.println("Images:");
    for (ContainerImage c : Objects.requireNonNullElse(spec.containers, List.<ContainerImage>of())) {
      out.println("  " + c.name + ": " + image(s.previous, c.name).map(i -> i + revision(s.previous) + " -> ")
          .orElse("") + c.image + (s.applied == null ? "" : revision(s.applied)));
    }
    out.println("Approvals:");
    if (s.approvals == null || s.approvals.isEmpty()) {
      out.println("  no approvals recorded");
    } else {
      Table t = new Table("APPROVER", "DECISION", "COUNTED", "AT", "COMMENT");
      for (ApprovalRecord a : s.approvals) {
        t.row(IncidentReport.identity(a.approver, a.verified), String.valueOf(a.decision),
            a.counted == null ? "" : a.counted ? "yes" : "no" + (a.message == null ? "" : ": " + a.message), a.at,
            a.comment);
      }
      t.lines("  ").forEach(out::println);
    }
    out.println("Pre-flight:");
    if (s.preflight == null || s.preflight.isEmpty()) {
      out.println("  not run yet (it runs just before the first write)");
    } else {
      Table t = new Table("CHECK", "RESULT", "FOUND");
      for (PreflightResult r : s.preflight) {
        t.row(r.name, Boolean.TRUE.equals(r.passed) ? "passed" : "refused", r.message);
      }
      t.lines("  ").forEach(out::println);
    }
    if (s.patch != null) {
      int fields = s.patch.changes == null ? 0 : s.patch.changes.size();
      out.printf(LABEL, "Patch:", fields + " field(s) of the " + (spec.target == null ? "Deployment"
          : TargetKind.of(spec.target)) + (Boolean.TRUE.equals(spec.dryRun)
          ? " would change" : " changed") + ": kubectl hotfix diff " + name);
      for (FieldChange c : s.patch.changes == null ? List.<FieldChange>of() : s.patch.changes) {
        if (c.path.startsWith("spec.template.")) {
          out.println("  " + c.path + ": " + Objects.requireNonNullElse(c.before, "(none)") + " -> "
              + Objects.requireNonNullElse(c.after, "(removed)"));
        }
      }
    }
    out.println("Checks:");
    if (s.checks == null || s.checks.isEmpty()) {
      out.println("  no metric checks measured (rollout progress and pod faults are judged on every change)");
    } else {
      Table t = new Table("NAME", "LAST", "PASSED", "FAILED", "NO DATA", "ERRORS", "MESSAGE");
      for (CheckStatus c : s.checks) {
        t.row(c.name, c.lastValue, count(c.passed), count(c.failed), count(c.noData), count(c.errors), c.lastMessage);
      }
      t.lines("  ").forEach(out::println);
    }
    out.println("Timeline:");
    if (s.timeline == null || s.timeline.isEmpty()) {
      out.println("  (empty)");
    } else {
      Table t = new Table("TIME", "PHASE", "MESSAGE");
      for (TimelineEntry e : s.timeline) {
        t.row(e.time, String.valueOf(e.phase), e.message);
      }
      t.lines("  ").forEach(out::println);
    }
    if (s.report != null) {
      out.printf(LABEL, "Report:", "ConfigMap " + s.report + " (kubectl hotfix report " + name + ")");
    }
    return 0;
  }

  /** The canary in one line: where it runs, how far it got, its verdict. */
  private static String canary(CanaryStatus c) {
    StringBuilder sb = new StringBuilder().append(count(c.pods)).append(" pod(s)");
    if (c.replicaSet != null) {
      sb.append(" (ReplicaSet ").append(c.replicaSet).append(")");
    } else if (c.partition != null) {
      sb.append(" (from ordinal ").append(c.partition).append(" up, held by the partition)");
    }
    sb.append(", ").append(count(c.readyPods)).append(" ready");
    if (c.verdict != null) {
      sb.append("; verdict ").append(c.verdict);
    } else if (c.analysisEndsAt != null) {
      sb.append("; analysing until ").append(c.analysisEndsAt);
    } else {
      sb.append("; waiting for its pods to be ready");
    }
    return sb.toString();
  }

  private static Optional<String> image(RevisionRecord r, String container) {
    return r == null || r.images == null ? Optional.empty() : r.images.stream()
        .filter(i -> container.equals(i.name)).map((ImageRecord i) -> i.image).filter(Objects::nonNull).findFirst();
  }

  private static String revision(RevisionRecord r) {
    return r == null || r.revision == null ? "" : " (revision " + r.revision + ")";
  }

  private static String count(Integer n) {
    return n == null ? "0" : n.toString();
  }
}
