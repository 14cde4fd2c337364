package dev.hotfix.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.hotfix.api.v1alpha1.Decision;
import dev.hotfix.api.v1alpha1.FreezeWindow;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixApproval;
import dev.hotfix.api.v1alpha1.HotfixApprovalSpec;
import dev.hotfix.api.v1alpha1.HotfixPolicy;
import dev.hotfix.api.v1alpha1.HotfixPolicySpec;
import dev.hotfix.api.v1alpha1.MaintenanceWindow;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.RollbackSpec;
import dev.hotfix.api.v1alpha1.SafetyLimits;
import dev.hotfix.api.v1alpha1.Severity;
import dev.hotfix.api.v1alpha1.SeverityRule;
import dev.hotfix.api.v1alpha1.SeverityRules;
import dev.hotfix.api.v1alpha1.Weekday;
import dev.hotfix.policy.IdentityAnnotations;
import dev.hotfix.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The governance rules end to end on the sandbox, with the operator in-process: severities,
 * four-eyes approvals, break-glass, maintenance windows and freezes. Identities are set as a
 * client without the webhook would set them (the webhook itself is tested in AdmissionServerTest).
 * The attacks on these rules, by people through kubectl with RBAC and the webhook on, are
 * GovernanceAttacksScenarioTest's.
 * The operator's clock is stepped by the test: a window opens, a freeze ends, when the test says.
 */
class GovernanceScenarioTest {
  private static final String NEW_IMAGE = "registry.example.com/web:1.1-hotfix.1";
  private static final AdjustableClock CLOCK = new AdjustableClock();
  private static ScenarioBed bed;

  @BeforeAll
  static void start() {
    bed = new ScenarioBed(SandboxOptions.defaults().withPrometheus(false).withPodStartDelay(Duration.ofMillis(300)),
        OperatorOptions.defaults().withClock(CLOCK));
  }

  @AfterAll
  static void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  @AfterEach
  void builtInPolicyAgain() {
    bed.client.resources(HotfixPolicy.class).inNamespace(ScenarioBed.NS).withName(HotfixPolicy.DEFAULT_NAME).delete();
    CLOCK.set(Instant.now());
  }

  @Test
  void aMinorHotfixIsRejectedToWaitForTheNextScheduledReleaseAndNothingChanges() {
    String web = bed.deploymentReady(d -> { });
    String rv = bed.deployment(web).getMetadata().getResourceVersion();

    Hotfix done = bed.runToEnd(requestedBy("alice", Severity.Minor, web));

    assertThat(done.getStatus().phase).isEqualTo(Phase.Rejected);
    assertThat(done.getStatus().message).contains("Minor hot fixes are not allowed by the built-in policy",
        "wait for the next scheduled release");
    assertThat(bed.phases(done)).containsExactly(Phase.Rejected);
    assertThat(bed.deployment(web).getMetadata().getResourceVersion()).as("the Deployment is untouched").isEqualTo(rv);
  }

  @Test
  void aMajorHotfixWaitsForAnApproverOtherThanTheRequesterThenShips() {
    String web = bed.deploymentReady(d -> { });
    String rv = bed.deployment(web).getMetadata().getResourceVersion();
    String name = bed.create(requestedBy("alice", Severity.Major, web));
    bed.awaitPhase(name, Phase.AwaitingApproval);
    assertThat(bed.get(name).getStatus().message).contains("waiting for 1 more approval (0 of 1)",
        "someone other than alice");

    String self = approve(name, "alice", Decision.Approve, "LGTM");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(approval(self).getStatus()).isNotNull();
      assertThat(approval(self).getStatus().message).startsWith("not counted: self-approval: alice requested this");
      assertThat(bed.get(name).getStatus().approvals).singleElement().satisfies(r -> {
        assertThat(r.approver).isEqualTo("alice");
        assertThat(r.counted).isFalse();
      });
    });
    assertThat(bed.get(name).getStatus().phase).isEqualTo(Phase.AwaitingApproval);
    assertThat(condition(bed.get(name), Conditions.APPROVED).getReason()).isEqualTo("AwaitingApproval");
    assertThat(bed.deployment(web).getMetadata().getResourceVersion()).as("nothing changed yet").isEqualTo(rv);

    String other = approve(name, "bob", Decision.Approve, "reviewed the diff");
    Hotfix done = bed.awaitTerminal(name);

    assertThat(done.getStatus().phase).isEqualTo(Phase.Succeeded);
    assertThat(bed.images(web)).containsEntry("app", NEW_IMAGE);
    assertThat(bed.phases(done)).containsSubsequence(Phase.AwaitingApproval, Phase.Pending, Phase.RollingOut,
        Phase.Succeeded);
    assertThat(done.getStatus().requestedBy).isEqualTo("alice");
    assertThat(done.getStatus().requesterVerified).as("no webhook in this bed").isFalse();
    assertThat(done.getStatus().approvals).extracting(r -> r.approver, r -> r.counted)
        .containsExactly(tuple("alice", false),
            tuple("bob", true));
    assertThat(done.getStatus().reviewRequired).isNull();
    Condition approved = condition(done, Conditions.APPROVED);
    assertThat(approved.getStatus()).isEqualTo("True");
    assertThat(approved.getReason()).isEqualTo("Approved");
    assertThat(approved.getMessage()).isEqualTo("approved by bob");
    assertThat(approval(other).getStatus().message).isEqualTo("counted for Hotfix " + name);
    assertThat(approval(other).getStatus().verified).isFalse();
    bed.assertAvailabilityNeverDropped(web);
  }

  @Test
  void aRejectionEndsTheHotfixNamingWhoAndWhyAndNothingChanges() {
    String web = bed.deploymentReady(d -> { });
    String rv = bed.deployment(web).getMetadata().getResourceVersion();
    String name = bed.create(requestedBy("alice", Severity.Major, web));
    bed.awaitPhase(name, Phase.AwaitingApproval);

    String rejection = approve(name, "bob", Decision.Reject, "no rollback plan in the ticket");
    Hotfix done = bed.awaitTerminal(name);

    assertThat(done.getStatus().phase).isEqualTo(Phase.Rejected);
    assertThat(done.getStatus().message).isEqualTo("rejected by bob (HotfixApproval " + rejection
        + "): no rollback plan in the ticket");
    assertThat(condition(done, Conditions.APPROVED).getReason()).isEqualTo("Rejected");
    assertThat(bed.phases(done)).containsExactly(Phase.AwaitingApproval, Phase.Rejected);
    assertThat(bed.deployment(web).getMetadata().getResourceVersion()).as("the Deployment is untouched").isEqualTo(rv);
  }

  @Test
  void aCriticalHotfixShipsAtOnceAndIsFlaggedForReview() {
    String web = bed.deploymentReady(d -> { });

    Hotfix done = bed.runToEnd(requestedBy("alice", Severity.Critical, web));

    assertThat(done.getStatus().phase).isEqualTo(Phase.Succeeded);
    assertThat(done.getStatus().reviewRequired).isTrue();
    assertThat(bed.phases(done)).doesNotContain(Phase.AwaitingApproval, Phase.Scheduled);
    assertThat(done.getStatus().timeline.get(0).message).startsWith("break-glass: Critical ships without approval");
    assertThat(condition(done, Conditions.APPROVED).getReason()).isEqualTo("BreakGlass");
    assertThat(bed.images(web)).containsEntry("app", NEW_IMAGE);
  }

  @Test
  void outsideItsMaintenanceWindowAHotfixIsScheduledAndStartsWhenTheWindowOpens() {
    String web = bed.deploymentReady(d -> { });
    String rv = bed.deployment(web).getMetadata().getResourceVersion();
    // the window opened at the last whole minute; the operator's clock is an hour behind until the
    // test steps it back to real time (then no skew between the operator and the cluster's pods)
    Instant opens = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    CLOCK.set(opens.minus(Duration.ofHours(1)));
    ZonedDateTime local = opens.atZone(ZoneId.of("Asia/Kolkata"));
    DateTimeFormatter hhmm = DateTimeFormatter.ofPattern("HH:mm");
    policy(p -> {
      p.severities = new SeverityRules();
      p.severities.trivial = new SeverityRule();
      p.severities.trivial.allowed = true;
      p.severities.trivial.approvals = 0;
      p.severities.trivial.maintenanceWindowOnly = true;
      MaintenanceWindow w = new MaintenanceWindow();
      w.days = List.of(Weekday.values()[local.getDayOfWeek().ordinal()]);
      w.start = local.format(hhmm);
      w.end = local.plusMinutes(30).format(hhmm);
      w.timeZone = "Asia/Kolkata";
      p.maintenanceWindows = List.of(w);
    });

    String name = bed.create(requestedBy("alice", Severity.Trivial, web));
    bed.awaitPhase(name, Phase.Scheduled);
    assertThat(bed.get(name).getStatus().message).contains("waiting for the maintenance window "
        + Weekday.values()[local.getDayOfWeek().ordinal()] + " " + local.format(hhmm) + "-", "Asia/Kolkata",
        "opens at " + opens);
    assertThat(bed.deployment(web).getMetadata().getResourceVersion()).as("nothing changed yet").isEqualTo(rv);

    CLOCK.set(Instant.now());
    nudgePolicy();
    Hotfix done = bed.awaitTerminal(name);
    assertThat(done.getStatus().phase).isEqualTo(Phase.Succeeded);
    assertThat(bed.phases(done)).containsSubsequence(Phase.Scheduled, Phase.Pending, Phase.RollingOut,
        Phase.Succeeded);
    assertThat(Instant.parse(done.getStatus().startedAt)).as("started once the window opened").isAfterOrEqualTo(opens);
    assertThat(bed.images(web)).containsEntry("app", NEW_IMAGE);
  }

  @Test
  void aFreezeHoldsAnApprovedMajorHotfixUntilItEnds() {
    String web = bed.deploymentReady(d -> { });
    String rv = bed.deployment(web).getMetadata().getResourceVersion();
    // the freeze ends now; the operator's clock is an hour behind until the test steps it to real time
    Instant ends = Instant.now();
    CLOCK.set(ends.minus(Duration.ofHours(1)));
    policy(p -> {
      FreezeWindow f = new FreezeWindow();
      f.start = CLOCK.instant().minus(Duration.ofHours(1)).toString();
      f.end = ends.toString();
      f.reason = "quarter-end close";
      p.freezeWindows = List.of(f);
    });

    String name = bed.create(requestedBy("alice", Severity.Major, web));
    bed.awaitPhase(name, Phase.Scheduled);
    assertThat(bed.get(name).getStatus().message).contains("change freeze", "until " + ends,
        "(quarter-end close)", "only Critical");
    approve(name, "bob", Decision.Approve, "ship after the freeze");
    assertThat(bed.deployment(web).getMetadata().getResourceVersion()).as("nothing changed yet").isEqualTo(rv);

    CLOCK.set(Instant.now());
    nudgePolicy();
    Hotfix done = bed.awaitTerminal(name);
    assertThat(done.getStatus().phase).isEqualTo(Phase.Succeeded);
    assertThat(bed.phases(done)).containsSubsequence(Phase.Scheduled, Phase.Pending, Phase.RollingOut)
        .doesNotContain(Phase.AwaitingApproval);
    assertThat(Instant.parse(done.getStatus().startedAt)).as("started after the freeze").isAfterOrEqualTo(ends);
  }

  @Test
  void aPolicyTheOperatorCannotApplySaysSoHoldsHotfixesAndItsFixReleasesThemAtOnce() {
    String web = bed.deploymentReady(d -> { });
    policy(p -> {
      MaintenanceWindow w = new MaintenanceWindow();
      w.days = List.of(Weekday.Sat);
      w.start = "02:00";
      w.end = "04:00";
      w.timeZone = "Mars/Olympus_Mons";
      p.maintenanceWindows = List.of(w);
    });
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(policyReady().getMessage())
        .contains("spec.maintenanceWindows[0].timeZone Mars/Olympus_Mons is not an IANA time zone"));
    assertThat(policyReady().getStatus()).isEqualTo("False");

    String name = bed.create(requestedBy("alice", Severity.Major, web));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Hotfix held = bed.get(name);
      assertThat(held.getStatus()).isNotNull();
      assertThat(held.getStatus().phase).isEqualTo(Phase.Pending);
      assertThat(held.getStatus().message).contains("cannot be applied", "Mars/Olympus_Mons",
          "waits until the policy is fixed");
    });

    HotfixPolicy fixed = bed.client.resources(HotfixPolicy.class).inNamespace(ScenarioBed.NS)
        .withName(HotfixPolicy.DEFAULT_NAME).get();
    fixed.getSpec().maintenanceWindows.get(0).timeZone = "Europe/Berlin";
    bed.client.resource(fixed).update();

    bed.awaitPhase(name, Phase.AwaitingApproval);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(policyReady().getStatus()).isEqualTo("True"));
  }

  /** A policy that allows downtime lets a Hotfix use it (the built-in policy refuses: expected-failures). */
  @Test
  void downtimeShipsWhereThePolicyAllowsIt() {
    String web = bed.deploymentReady(d -> { });
    policy(p -> {
      p.limits = new SafetyLimits();
      p.limits.allowDowntime = true;
      p.limits.allowDisablingAutomaticRollback = true;
    });
    Hotfix h = requestedBy("alice", Severity.Critical, web);
    h.getSpec().rollout.allowDowntime = true;
    h.getSpec().rollout.maxUnavailable = new IntOrString(1);
    h.getSpec().rollback = new RollbackSpec();
    h.getSpec().rollback.automatic = false;

    Hotfix done = bed.runToEnd(h);

    assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(Phase.Succeeded);
    assertThat(bed.images(web)).containsEntry("app", NEW_IMAGE);
  }

  private static Condition policyReady() {
    HotfixPolicy p = bed.client.resources(HotfixPolicy.class).inNamespace(ScenarioBed.NS)
        .withName(HotfixPolicy.DEFAULT_NAME).get();
    assertThat(p.getStatus()).as("the operator wrote the policy's status").isNotNull();
    return p.getStatus().conditions.stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElseThrow();
  }

  /** A Hotfix of {@code severity} for the Deployment, created as a client sets the requester without the webhook. */
  private static Hotfix requestedBy(String user, Severity severity, String web) {
    Hotfix h = bed.hotfix(web, NEW_IMAGE, s -> s.severity = severity);
    h.getMetadata().setAnnotations(new HashMap<>(Map.of(IdentityAnnotations.REQUESTED_BY, user)));
    return h;
  }

  private static String approve(String hotfix, String user, Decision decision, String comment) {
    HotfixApproval a = new HotfixApproval();
    a.getMetadata().setName(hotfix + "-" + user);
    a.getMetadata().setNamespace(ScenarioBed.NS);
    a.getMetadata().setAnnotations(Map.of(IdentityAnnotations.APPROVED_BY, user));
    a.setSpec(new HotfixApprovalSpec());
    a.getSpec().hotfix = hotfix;
    a.getSpec().decision = decision;
    a.getSpec().comment = comment;
    bed.client.resource(a).create();
    return a.getMetadata().getName();
  }

  private static HotfixApproval approval(String name) {
    return bed.client.resources(HotfixApproval.class).inNamespace(ScenarioBed.NS).withName(name).get();
  }

  private static void policy(Consumer<HotfixPolicySpec> rules) {
    HotfixPolicy p = new HotfixPolicy();
    p.getMetadata().setName(HotfixPolicy.DEFAULT_NAME);
    p.getMetadata().setNamespace(ScenarioBed.NS);
    p.setSpec(new HotfixPolicySpec());
    rules.accept(p.getSpec());
    bed.client.resource(p).create();
  }

  /**
   * Any change to the policy re-decides the namespace's held Hotfixes: after the test stepped the
   * operator's clock, this is the event that makes it look again (instead of its real-time timer).
   */
  private static void nudgePolicy() {
    bed.client.resources(HotfixPolicy.class).inNamespace(ScenarioBed.NS).withName(HotfixPolicy.DEFAULT_NAME)
        .edit(p -> {
          p.getMetadata().getAnnotations().put("test.hotfix.dev/nudged", Instant.now().toString());
          return p;
        });
  }

  private static Condition condition(Hotfix h, String type) {
    return h.getStatus().conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }
}
