package dev.hotfix.operator;

import static dev.hotfix.testing.IdentityStamps.TEST_KEY;
import static dev.hotfix.testing.IdentityStamps.stamped;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hotfix.api.v1alpha1.ContainerImage;
import dev.hotfix.api.v1alpha1.Decision;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixApproval;
import dev.hotfix.api.v1alpha1.HotfixApprovalSpec;
import dev.hotfix.api.v1alpha1.HotfixApprovalStatus;
import dev.hotfix.api.v1alpha1.HotfixPolicy;
import dev.hotfix.api.v1alpha1.HotfixPolicySpec;
import dev.hotfix.api.v1alpha1.HotfixSpec;
import dev.hotfix.api.v1alpha1.HotfixStatus;
import dev.hotfix.api.v1alpha1.MaintenanceWindow;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.Severity;
import dev.hotfix.api.v1alpha1.SeverityRule;
import dev.hotfix.api.v1alpha1.SeverityRules;
import dev.hotfix.api.v1alpha1.TargetRef;
import dev.hotfix.api.v1alpha1.Weekday;
import dev.hotfix.policy.IdentityAnnotations;
import dev.hotfix.policy.IdentityProofs;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Scheduled and AwaitingApproval on hand-made observations: what they decide and what they write. */
class GovernanceHandlersTest {
  /** Saturday 2026-11-21, 10:00 UTC. */
  private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
  private final Map<String, HotfixApprovalStatus> written = new LinkedHashMap<>();
  private final ApprovalStatusWriter writer = (approval, status) -> written.put(approval.getMetadata().getName(),
      status);

  @Test
  void scheduledWaitsUntilTheWindowOpensThenGoesBackToPending() {
    GovernanceGate gate = new GovernanceGate(new FixedGovernanceInputs(Optional.of(minorOnSundayMornings()),
        List.of()), writer, IdentityProofs.NONE);
    ScheduledHandler scheduled = new ScheduledHandler(gate);
    Hotfix minor = hotfix(Severity.Minor, Phase.Scheduled);

    Step waiting = scheduled.handle(observe(minor, NOW));
    assertThat(waiting.phase()).isEqualTo(Phase.Scheduled);
    assertThat(waiting.recheckAt()).as("Sunday 06:00 UTC").contains(Instant.parse("2026-11-22T06:00:00Z"));

    Step open = scheduled.handle(observe(minor, Instant.parse("2026-11-22T06:00:01Z")));
    assertThat(open.phase()).isEqualTo(Phase.Pending);
    assertThat(open.message()).startsWith("no longer held: no approval required for Minor in the maintenance window "
        + "Sun 06:00-08:00 UTC");
  }

  @Test
  void awaitingApprovalRecordsEveryDecisionWritesTheirStatusAndGoesOnOnceApproved() {
    HotfixApproval self = stamped(TEST_KEY, approval("fix-alice", "alice"));
    HotfixApproval bob = stamped(TEST_KEY, approval("fix-bob", "bob"));
    GovernanceGate gate = new GovernanceGate(new FixedGovernanceInputs(Optional.empty(), List.of(self, bob)), writer,
        TEST_KEY);

    Step step = new AwaitingApprovalHandler(gate).handle(observe(stamped(TEST_KEY,
        hotfix(Severity.Major, Phase.AwaitingApproval)), NOW));

    assertThat(step.phase()).isEqualTo(Phase.Pending);
    assertThat(step.message()).isEqualTo("approved by bob");
    HotfixStatus s = new HotfixStatus();
    step.edit().accept(s);
    assertThat(s.requestedBy).isEqualTo("alice");
    assertThat(s.requesterVerified).isTrue();
    assertThat(s.approvals).extracting(r -> r.name).containsExactly("fix-alice", "fix-bob");
    assertThat(written.get("fix-alice").message).startsWith("not counted: self-approval");
    assertThat(written.get("fix-bob").message).isEqualTo("counted for Hotfix fix");
    assertThat(written.get("fix-bob").verified).isTrue();
  }

  @Test
  void onlyTheSelfApprovalKeepsItWaiting() {
    GovernanceGate gate = new GovernanceGate(new FixedGovernanceInputs(Optional.empty(),
        List.of(approval("fix-alice", "alice"))), writer, IdentityProofs.NONE);

    Step step = new AwaitingApprovalHandler(gate).handle(observe(hotfix(Severity.Major, Phase.AwaitingApproval), NOW));

    assertThat(step.phase()).isEqualTo(Phase.AwaitingApproval);
    assertThat(step.recheckAt()).as("only an approval wakes it").isEmpty();
  }

  private static HotfixPolicy minorOnSundayMornings() {
    HotfixPolicy p = new HotfixPolicy();
    p.getMetadata().setName(HotfixPolicy.DEFAULT_NAME);
    p.setSpec(new HotfixPolicySpec());
    p.getSpec().severities = new SeverityRules();
    p.getSpec().severities.minor = new SeverityRule();
    p.getSpec().severities.minor.allowed = true;
    p.getSpec().severities.minor.maintenanceWindowOnly = true;
    MaintenanceWindow w = new MaintenanceWindow();
    w.days = List.of(Weekday.Sun);
    w.start = "06:00";
    w.end = "08:00";
    p.getSpec().maintenanceWindows = List.of(w);
    return p;
  }

  private static Hotfix hotfix(Severity severity, Phase phase) {
    Hotfix h = new Hotfix();
    h.getMetadata().setName("fix");
    h.getMetadata().setNamespace("shop");
    h.getMetadata().setCreationTimestamp("2026-11-21T09:00:00Z");
    h.getMetadata().setAnnotations(new HashMap<>(Map.of(IdentityAnnotations.REQUESTED_BY, "alice")));
    HotfixSpec spec = new HotfixSpec();
    spec.severity = severity;
    spec.target = new TargetRef();
    spec.target.name = "web";
    spec.containers = List.of(new ContainerImage("app", "web:2"));
    h.setSpec(spec);
    h.setStatus(new HotfixStatus());
    h.getStatus().phase = phase;
    return h;
  }

  private static HotfixApproval approval(String name, String approver) {
    HotfixApproval a = new HotfixApproval();
    a.getMetadata().setName(name);
    a.getMetadata().setNamespace("shop");
    a.getMetadata().setCreationTimestamp("2026-11-21T09:30:00Z");
    a.getMetadata().setAnnotations(Map.of(IdentityAnnotations.APPROVED_BY, approver));
    a.setSpec(new HotfixApprovalSpec());
    a.getSpec().hotfix = "fix";
    a.getSpec().decision = Decision.Approve;
    return a;
  }

  private static Observation observe(Hotfix h, Instant now) {
    return new Observation(h, EffectiveSpec.of(h.getSpec()), Optional.empty(), List.of(), List.of(), now);
  }
}
