package dev.hotfix.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotfix.api.v1alpha1.ApprovalRecord;
import dev.hotfix.api.v1alpha1.ContainerImage;
import dev.hotfix.api.v1alpha1.Decision;
import dev.hotfix.api.v1alpha1.ExposureStage;
import dev.hotfix.api.v1alpha1.ExposureStatus;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixSpec;
import dev.hotfix.api.v1alpha1.HotfixStatus;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.Severity;
import dev.hotfix.api.v1alpha1.TargetKind;
import dev.hotfix.api.v1alpha1.TargetRef;
import dev.hotfix.api.v1alpha1.TimelineEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parts of the report a sandbox run does not reach: identities, approvals, break-glass, nothing started. */
class IncidentReportTest {

  @Test
  void identitiesAreMarkedVerifiedOrNotAndApprovalsListedWithWhyTheyDidNotCount() {
    Hotfix h = hotfix(Phase.Succeeded);
    h.getStatus().requestedBy = "alice@example.com";
    h.getStatus().requesterVerified = true;
    h.getStatus().reviewRequired = true;
    h.getStatus().approvals = List.of(approval("bob", true, true, null, "looks | good"),
        approval("alice@example.com", false, false, "self-approval does not count", null));

    String md = IncidentReport.render(h);

    assertThat(md).contains("| Requested by | alice@example.com (verified) |",
        "| Review | **break-glass**: shipped without the usual approvals; review required |",
        "| bob (verified) | Approve | yes | 2026-11-21T07:00:00Z | looks \\| good |",
        "| alice@example.com (unverified) | Approve | no: self-approval does not count | 2026-11-21T07:00:00Z |  |",
        "- **Break-glass review:**");
  }

  @Test
  void aRejectedHotfixSaysNothingWasChangedAndHasNoTimings() {
    Hotfix h = hotfix(Phase.Rejected);
    h.getStatus().message = "Minor hot fixes are not allowed: wait for the next scheduled release";
    h.getStatus().timeline = List.of(new TimelineEntry("2026-11-21T07:00:00Z", Phase.Rejected, h.getStatus().message));

    String md = IncidentReport.render(h);

    assertThat(md).contains("**Outcome: Rejected**: Minor hot fixes are not allowed",
        "| Started | never (nothing was changed) |", "| Requested by | unknown |", "no approvals recorded",
        "| app | not recorded | `registry.example.com/web:2` (requested, not applied) |",
        "No metric checks were configured.", "| 2026-11-21T07:00:00Z | +0.0 s | Rejected | ")
        .doesNotContain("Time to detect", "Break-glass");
  }

  @Test
  void timesComeFromTheStartTheRollbackDecisionAndTheEnd() {
    HotfixStatus s = new HotfixStatus();
    s.phase = Phase.RolledBack;
    s.startedAt = "2026-11-21T07:00:00Z";
    s.bakeStartedAt = "2026-11-21T07:00:04Z";
    s.rollbackStartedAt = "2026-11-21T07:00:07.500Z";
    s.finishedAt = "2026-11-21T07:00:12Z";
    s.timeline = List.of(new TimelineEntry("2026-11-21T07:00:07Z", Phase.RollingBack, "rolling back"));

    IncidentTimes t = IncidentTimes.of(s);

    assertThat(t.toDetect()).contains(Duration.ofSeconds(7));
    assertThat(t.toRestore()).contains(Duration.ofSeconds(12));
    assertThat(t.rollback()).contains(Duration.ofSeconds(5));
    assertThat(t.toShip()).contains(Duration.ofSeconds(4));
    assertThat(IncidentTimes.format(Duration.ofSeconds(192))).isEqualTo("3 min 12 s");
  }

  @Test
  void aFailedCanarySaysHowManyPodsRanTheNewImagesAndForHowLong() {
    Hotfix h = hotfix(Phase.RolledBack);
    h.getStatus().rollbackReason = "check: canary-errors = 0.41 > 0.05";
    ExposureStatus e = new ExposureStatus();
    e.stage = ExposureStage.Canary;
    e.bound = 1;
    e.podsOnNewRevision = 0;
    e.maxPodsOnNewRevision = 1;
    e.firstPodCreatedAt = "2026-11-21T07:00:02Z";
    e.longestExposureSeconds = 9L;
    e.verdictAt = "2026-11-21T07:00:11Z";
    h.getStatus().exposure = e;

    String md = IncidentReport.render(h);

    assertThat(md).contains("\nExposure: 0 pod(s) on the new images now, 1 at most before the verdict (bound 1: "
        + "spec.rollout.canary.pods); the longest ran 9s before the verdict at 2026-11-21T07:00:11Z\n");
  }

  @Test
  void theRolloutBoundIsNamedForTheTargetsKind() {
    ExposureStatus e = new ExposureStatus();
    e.stage = ExposureStage.Rollout;
    e.bound = 3;
    Instant now = Instant.parse("2026-11-21T07:00:00Z");

    assertThat(IncidentReport.exposure(e, TargetKind.Deployment, now)).contains("(bound 3: replicas + maxSurge)");
    assertThat(IncidentReport.exposure(e, TargetKind.StatefulSet, now))
        .contains("(bound 3: replicas, replaced in place)");
    assertThat(IncidentReport.exposure(e, TargetKind.DaemonSet, now)).contains("(bound 3: desired pods + maxSurge)");
  }

  private static Hotfix hotfix(Phase phase) {
    Hotfix h = new Hotfix();
    h.getMetadata().setName("fix");
    h.getMetadata().setNamespace("shop");
    HotfixSpec spec = new HotfixSpec();
    spec.severity = Severity.Minor;
    spec.reason = "typo";
    spec.target = new TargetRef();
    spec.target.name = "web";
    spec.containers = List.of(new ContainerImage("app", "registry.example.com/web:2"));
    h.setSpec(spec);
    h.setStatus(new HotfixStatus());
    h.getStatus().phase = phase;
    return h;
  }

  private static ApprovalRecord approval(String who, boolean verified, boolean counted, String why, String comment) {
    ApprovalRecord a = new ApprovalRecord();
    a.approver = who;
    a.verified = verified;
    a.decision = Decision.Approve;
    a.counted = counted;
    a.message = why;
    a.comment = comment;
    a.at = "2026-11-21T07:00:00Z";
    return a;
  }
}
