package dev.hotfix.operator;

import static dev.hotfix.testing.IdentityStamps.TEST_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotfix.api.v1alpha1.ApprovalRecord;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixApproval;
import dev.hotfix.api.v1alpha1.HotfixPolicy;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.policy.IdentityAnnotations;
import dev.hotfix.report.IncidentReport;
import dev.hotfix.report.ReportWriter;
import dev.hotfix.sandbox.SandboxOptions;
import dev.hotfix.testing.ExpectedFailures;
import dev.hotfix.testing.Grants;
import dev.hotfix.testing.Kubectl;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every attack of issue 12, tried as an attacker would: through the real kubectl as the people of
 * a team ({@code --as}, {@code --as-group}), each holding only the RBAC such a person holds on a
 * real cluster, against the sandbox enforcing RBAC with the operator's admission webhook
 * registered (as the chart registers it) and the operator holding the identity key. Each attack
 * must fail safely: nothing changed on the Deployment (its spec and annotations compared before
 * and after, and the operator's writes to it counted by the API server's audit), and a message,
 * kubectl's or the Hotfix's, that says what to fix.
 *
 * <p>The team: alice and dave develop (the chart's requester and approver roles, and {@code edit}:
 * they may patch their Deployments themselves; alice is on call, group {@code sre-oncall});
 * bob and carol approve (the approver role); mallory may request and approve but not touch
 * Deployments; paula writes the namespace's HotfixPolicy (and nothing else); nina administers
 * the namespace (every verb on hotfix.dev, status included, and {@code edit}).
 *
 * <p>Seen failing in this form (kubectl, RBAC, webhook) with the protection taken out:
 * {@code hotfixes/status} taken out of the webhook's rules (nina's forged RollingOut is stored),
 * no governance check before the first patch (the forged RollingOut ships with one approval),
 * the repository and the digest checks taken out of SpecLimits (the images ship), the access
 * review in PendingHandler taken out (mallory's Hotfix ships), the break-glass rule taken out of
 * Governance (dave's Critical ships at once), WaitingLine's exception for Critical taken out (the
 * Critical waits behind the Major), ReportWriter's ownership check taken out (the report
 * overwrites dave's ConfigMap), the report owned by its Hotfix again (deleted with it), every
 * repeated decision recorded (status.approvals names bob 400 times), approvals matched by
 * creation time only (the recreated Hotfix ships on bob's old approval), identities verified by
 * the key instead of their proof (mallory's forged approvals count). Seen failing in their
 * earlier API-client form: the CRD's transition rules removed (the edit is accepted), the
 * rollback trusting status.previous (revision 1 is restored). The control characters are
 * refused by the CRD schema, whose patterns ExampleAdmissionTest checks against the same manifests.
 */
class GovernanceAttacksScenarioTest {
  private static final String DIGEST = "@sha256:" + "5f".repeat(32);
  private static final String FIX = "registry.example.com/web:1.1-hotfix.1" + DIGEST;
  private static final String OTHER_FIX = "registry.example.com/web:1.2-hotfix.1" + DIGEST;
  private static final String EVIL = "evil.example.com/miner:latest" + DIGEST;
  private static final String NS = ScenarioBed.NS;
  private static final AtomicInteger SEQ = new AtomicInteger();

  private static final Person ALICE = new Person("alice", "devs", "sre-oncall");
  private static final Person DAVE = new Person("dave", "devs");
  private static final Person BOB = new Person("bob", "sre-leads");
  private static final Person CAROL = new Person("carol", "sre-leads");
  private static final Person MALLORY = new Person("mallory", "devs");
  private static final Person PAULA = new Person("paula", "platform");
  private static final Person NINA = new Person("nina", "platform");

  /**
   * The namespace's rules, written by paula: Major needs two approvals (so one inherited or
   * forged approval would make the difference), images come from the team's registry pinned by
   * digest, only the on-call group may declare break-glass Critical. Downtime, disabling
   * automatic rollback and leaving on delete stay forbidden (the defaults).
   */
  private static final String POLICY = """
      apiVersion: hotfix.dev/v1alpha1
      kind: HotfixPolicy
      metadata: {name: default, namespace: default}
      spec:
        severities:
          Major: {allowed: true, approvals: 2}
        images: {allowedRepositories: ["registry.example.com/*"], requireDigest: true}
        breakGlass: {groups: [sre-oncall]}
      """;

  @TempDir
  static Path dir;
  private static ScenarioBed bed;
  private static AdmissionWebhookBed webhook;
  private static Kubectl kubectl;
  /** Created while the webhook was not registered yet, with forged identities. */
  private static String forgedHotfix;
  private static String forgedTarget;

  @BeforeAll
  static void start() throws Exception {
    bed = ScenarioBed.withoutOperator(SandboxOptions.defaults().withPrometheus(false)
        .withPodStartDelay(Duration.ofMillis(300)));
    kubectl = new Kubectl(bed.writeKubeconfig(dir.resolve("kubeconfig")));
    Grants.installPeopleRoles(bed.client);
    Grants.installHotfixWriter(bed.client);
    Grants.installPolicyAuthor(bed.client);
    for (Person developer : List.of(ALICE, DAVE)) {
      bind(developer, Grants.REQUESTER, Grants.APPROVER, "edit");
    }
    bind(BOB, Grants.APPROVER);
    bind(CAROL, Grants.APPROVER);
    bind(MALLORY, Grants.REQUESTER, Grants.APPROVER);
    bind(PAULA, Grants.POLICY_AUTHOR);
    bind(NINA, Grants.HOTFIX_WRITER, "edit");
    PAULA.kubectl(POLICY, "create", "-f", "-").assertOk();

    // the webhook is absent: mallory writes whatever identities she likes
    forgedTarget = bed.deploymentReady(d -> { });
    forgedHotfix = "forged-" + SEQ.incrementAndGet();
    MALLORY.kubectl(new HotfixYaml(forgedHotfix, "Major", forgedTarget, FIX).annotations("""
        hotfix.dev/requested-by: carol
        hotfix.dev/requested-by-groups: sre-leads
        hotfix.dev/identity-proof: "v1:bm90LWEtcHJvb2Y"
        """).yaml(), "create", "-f", "-").assertOk();
    for (String approver : new String[] {"bob", "dave"}) {
      MALLORY.kubectl(approvalYaml(forgedHotfix + "-" + approver, forgedHotfix, "reviewed", """
          hotfix.dev/approved-by: %s
          hotfix.dev/approved-by-groups: sre-leads
          """.formatted(approver)), "create", "-f", "-").assertOk();
    }

    webhook = new AdmissionWebhookBed(bed, dir, TEST_KEY).register();
    bed.startOperator(OperatorOptions.defaults().withIdentityProofs(TEST_KEY), ReconcileTuning.defaults());
  }

  @AfterAll
  static void stop() {
    ScenarioBed.closeAll(webhook, bed);
  }

  @Test
  void anApprovedHotfixCannotBeEditedIntoAnotherImageOrTarget() {
    String web = bed.deploymentReady(d -> { });
    String other = bed.deploymentReady(d -> { });
    DeploymentState otherBefore = DeploymentState.of(other);
    String name = create(ALICE, "Major", web, FIX);
    bed.awaitPhase(name, Phase.AwaitingApproval);
    approve(name, BOB);
    approve(name, CAROL);
    Hotfix done = bed.awaitTerminal(name);
    assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(Phase.Succeeded);
    await().atMost(Duration.ofSeconds(10)).until(() -> bed.writes(web).release() == 1);
    DeploymentState shipped = DeploymentState.of(web);

    Kubectl.Result image = ALICE.kubectl(null, "patch", "hotfix", name, "--type=merge", "-p",
        "{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"" + EVIL + "\"}]}}");
    Kubectl.Result target = ALICE.kubectl(null, "patch", "hotfix", name, "--type=merge", "-p",
        "{\"spec\":{\"target\":{\"name\":\"" + other + "\"}}}");

    assertThat(image.exitCode()).as(image.stdout()).isNotZero();
    assertThat(image.stderr()).contains("spec.containers is immutable: create a new Hotfix for a different image");
    assertThat(target.exitCode()).as(target.stdout()).isNotZero();
    assertThat(target.stderr()).contains("spec.target is immutable: create a new Hotfix for a different Deployment");
    assertThat(bed.get(name).getSpec().containers).singleElement().satisfies(c -> assertThat(c.image).isEqualTo(FIX));
    shipped.assertUnchanged();
    otherBefore.assertUnchanged();
  }

  /**
   * The old approval is made in the same second as the recreated Hotfix (creation times have
   * one-second resolution), so only its recorded Hotfix uid tells the two Hotfixes apart. alice
   * may not delete Hotfixes; nina, who administers the namespace, replaces it in one kubectl
   * call ({@code replace --force}: delete, then create), tried until both fall in one second.
   */
  @Test
  void aHotfixDeletedAndRecreatedUnderTheSameNameInheritsNoApproval() {
    String web = bed.deploymentReady(d -> { });
    DeploymentState before = DeploymentState.of(web);
    String name = null;
    for (int attempt = 0; attempt < 30 && name == null; attempt++) {
      String candidate = "again-" + SEQ.incrementAndGet();
      create(ALICE, new HotfixYaml(candidate, "Major", web, FIX));
      approve(candidate, BOB);
      NINA.kubectl(new HotfixYaml(candidate, "Major", web, OTHER_FIX).yaml(), "replace", "--force", "-f", "-")
          .assertOk();
      if (approval(candidate + "-bob").getMetadata().getCreationTimestamp()
          .equals(bed.get(candidate).getMetadata().getCreationTimestamp())) {
        name = candidate;
      } else {
        NINA.kubectl(null, "delete", "hotfix", candidate).assertOk();
      }
    }
    assertThat(name).as("an approval and a recreated Hotfix within one second").isNotNull();
    approve(name, CAROL);
    String recreated = name;

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Hotfix h = bed.get(recreated);
      assertThat(h.getStatus().phase).isEqualTo(Phase.AwaitingApproval);
      assertThat(h.getStatus().approvals).extracting((ApprovalRecord a) -> a.approver).contains("bob", "carol");
    });
    Hotfix waiting = bed.get(recreated);
    assertThat(waiting.getStatus().message).contains("waiting for 1 more approval (1 of 2)");
    assertThat(waiting.getStatus().approvals).filteredOn(a -> a.approver.equals("bob")).singleElement()
        .satisfies(a -> {
          assertThat(a.counted).isFalse();
          assertThat(a.message).contains("made for another Hotfix of the same name", "needs new approvals");
        });
    before.assertUnchanged();
  }

  /**
   * alice's RBAC does not reach the status subresource; nina's does, and the webhook refuses
   * her. Then the status is forged as the webhook would let through when down or bypassed: the
   * operator itself re-checks governance before its first write.
   */
  @Test
  void aForgedStatusCannotSkipTheApprovals() {
    String web = bed.deploymentReady(d -> { });
    String name = create(ALICE, "Major", web, FIX);
    bed.awaitPhase(name, Phase.AwaitingApproval);
    DeploymentState before = DeploymentState.of(web);
    String hash = bed.currentHash(web);
    String forged = """
        {"status":{"phase":"RollingOut","previous":{"revision":1,"podTemplateHash":"%s","replicaSet":"%s-%s",
         "images":[{"name":"app","image":"%s"}]}}}""".formatted(hash, web, hash, ScenarioBed.GOOD);

    Kubectl.Result byAlice = ALICE.kubectl(null, "patch", "hotfix", name, "--subresource=status", "--type=merge",
        "-p", forged);
    Kubectl.Result byNina = NINA.kubectl(null, "patch", "hotfix", name, "--subresource=status", "--type=merge",
        "-p", forged);

    assertThat(byAlice.exitCode()).isNotZero();
    // kubectl reads the status before patching it: RBAC refuses the read already
    assertThat(byAlice.stderr()).contains("User \"alice\" cannot get resource \"hotfixes/status\" in API group "
        + "\"hotfix.dev\"");
    assertThat(byNina.exitCode()).isNotZero();
    assertThat(byNina.stderr()).contains("the status of Hotfix " + name + " is written by the hotfix-operator ("
        + AdmissionWebhookBed.OPERATOR_USER + ") alone, not by nina",
        "to approve, create a HotfixApproval");
    assertThat(bed.get(name).getStatus().phase).isEqualTo(Phase.AwaitingApproval);

    // as if the webhook were down (failurePolicy: Ignore) or bypassed: the operator itself must hold
    kubectl.run("patch", "hotfix", name, "--subresource=status", "--type=merge", "-p", forged).assertOk();
    // a status write alone does not wake the operator (no new generation); the next event does
    approve(name, BOB);

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Hotfix h = bed.get(name);
      assertThat(h.getStatus().phase).isEqualTo(Phase.AwaitingApproval);
      // the timeline, not the message: a later reconcile (the approval's own status) rewrites the message
      assertThat(h.getStatus().timeline).extracting(e -> e.message).anySatisfy(m -> assertThat(m)
          .contains("not patching Deployment " + web + ": status said RollingOut, but "
              + "the policy does not clear this Hotfix: waiting for 1 more approval (1 of 2)"));
    });
    before.assertUnchanged();
    assertThat(bed.observed(web)).allSatisfy(d -> assertThat(d.getMetadata().getAnnotations())
        .doesNotContainKey("hotfix.dev/active"));
  }

  @Test
  void aForgedPreviousRevisionCannotSteerTheRollback() {
    String web = bed.deploymentReady(d -> { });
    String first = bed.currentHash(web);
    ALICE.kubectl(null, "set", "image", "deployment/" + web, "app=registry.example.com/web:1.0.1").assertOk();
    await().atMost(Duration.ofSeconds(30)).until(() -> !bed.currentHash(web).equals(first)
        && Integer.valueOf(ScenarioBed.REPLICAS).equals(bed.deployment(web).getStatus().getAvailableReplicas())
        && Integer.valueOf(ScenarioBed.REPLICAS).equals(bed.deployment(web).getStatus().getUpdatedReplicas()));
    String name = create(ALICE, new HotfixYaml(nextName(), "Critical", web, FIX).bakeSeconds(600));
    bed.awaitPhase(name, Phase.Verifying);
    Deployment fixed = bed.deployment(web);

    // revision 1 is a real ReplicaSet of the Deployment, not the one the Hotfix replaced; only the
    // operator may write status, so the attacker is someone past the webhook (here the admin)
    kubectl.run("patch", "hotfix", name, "--subresource=status", "--type=merge", "-p", """
        {"status":{"previous":{"revision":1,"podTemplateHash":"%s","replicaSet":"%s-%s",
         "images":[{"name":"app","image":"%s"}]}}}""".formatted(first, web, first, ScenarioBed.GOOD)).assertOk();
    ALICE.kubectl(null, "patch", "hotfix", name, "--type=merge", "-p", "{\"spec\":{\"abort\":true}}").assertOk();

    Hotfix done = bed.awaitTerminal(name);
    assertThat(done.getStatus().phase).isEqualTo(Phase.Failed);
    assertThat(done.getStatus().message).contains("cannot roll back: status.previous names revision 1",
        "but the operator recorded revision 2", "nothing was changed");
    // the pod template was not touched (the release of the lock changes annotations)
    assertThat(bed.deployment(web).getSpec().getTemplate()).isEqualTo(fixed.getSpec().getTemplate());
    assertThat(bed.writes(web).rollback()).isZero();
  }

  @Test
  void identitiesWrittenWhileTheWebhookWasAbsentAreNotVerifiedAndDoNotCount() {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Hotfix h = bed.get(forgedHotfix);
      assertThat(h.getStatus()).isNotNull();
      assertThat(h.getStatus().phase).isEqualTo(Phase.AwaitingApproval);
      assertThat(h.getStatus().approvals).hasSize(2);
    });
    Hotfix h = bed.get(forgedHotfix);
    assertThat(h.getStatus().requestedBy).isEqualTo("carol");
    assertThat(h.getStatus().requesterVerified).isFalse();
    assertThat(h.getStatus().approvals).allSatisfy(a -> {
      assertThat(a.verified).isFalse();
      assertThat(a.counted).isFalse();
      assertThat(a.message).contains("is not proven: the approval carries no valid proof from the admission webhook");
    });
    assertThat(h.getStatus().message).contains("waiting for 2 more approvals (0 of 2)");
    assertThat(bed.images(forgedTarget)).containsEntry("app", ScenarioBed.GOOD);
    assertThat(bed.writes(forgedTarget)).isEqualTo(OperatorWrites.NONE);
  }

  /**
   * With the webhook on, the identities a person writes are replaced by the ones the API server
   * authenticated, cannot be edited afterwards, and the requester cannot approve their own Hotfix.
   */
  @Test
  void identitiesWrittenByTheRequesterAreReplacedAndTheRequesterCannotApprove() {
    String web = bed.deploymentReady(d -> { });
    DeploymentState before = DeploymentState.of(web);
    String name = create(DAVE, new HotfixYaml(nextName(), "Major", web, FIX).annotations("""
        hotfix.dev/requested-by: carol
        hotfix.dev/requested-by-groups: sre-leads
        """));
    Hotfix created = bed.get(name);
    assertThat(created.getMetadata().getAnnotations()).containsEntry(IdentityAnnotations.REQUESTED_BY, "dave")
        .containsEntry(IdentityAnnotations.REQUESTED_BY_GROUPS, "devs,system:authenticated")
        .containsKey(IdentityAnnotations.PROOF);
    bed.awaitPhase(name, Phase.AwaitingApproval);

    Kubectl.Result selfApproval = DAVE.kubectl(approvalYaml(name + "-dave", name, "LGTM", "{}"), "create", "-f", "-");
    Kubectl.Result renamed = DAVE.kubectl(null, "annotate", "hotfix", name, "--overwrite",
        IdentityAnnotations.REQUESTED_BY + "=carol");

    assertThat(selfApproval.exitCode()).isNotZero();
    assertThat(selfApproval.stderr()).contains("four eyes: dave requested Hotfix " + name + " and cannot approve it; "
        + "ask another approver to create the HotfixApproval");
    assertThat(approval(name + "-dave")).as("the refused approval was not stored").isNull();
    assertThat(renamed.exitCode()).isNotZero();
    assertThat(renamed.stderr()).contains("the annotation " + IdentityAnnotations.REQUESTED_BY + " of Hotfix "
        + name + " records who created it", "cannot be changed or removed");
    before.assertUnchanged();

    approve(name, BOB);
    approve(name, CAROL);
    Hotfix done = bed.awaitTerminal(name);
    assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(Phase.Succeeded);
    assertThat(done.getStatus().requestedBy).isEqualTo("dave");
    assertThat(done.getStatus().requesterVerified).isTrue();
    assertThat(done.getStatus().approvals).extracting(a -> a.approver, a -> a.verified, a -> a.counted)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("bob", true, true),
            org.assertj.core.groups.Tuple.tuple("carol", true, true));
  }

  /** The confused deputy: the operator patches for mallory only what she could patch herself. */
  @Test
  void aRequesterWhoMayNotPatchTheDeploymentIsRejectedAndNothingChanges() {
    String web = bed.deploymentReady(d -> { });
    DeploymentState before = DeploymentState.of(web);
    Person onCall = new Person("mallory", "devs", "sre-oncall");
    assertThat(onCall.kubectl(null, "auth", "can-i", "create", "hotfixes.hotfix.dev").stdout().trim())
        .isEqualTo("yes");
    assertThat(onCall.kubectl(null, "auth", "can-i", "patch", "deployments/" + web).stdout().trim()).isEqualTo("no");

    String name = create(onCall, "Critical", web, FIX);

    assertRejected(name, before, "mallory may not patch deployments/" + web + " in namespace " + NS
        + "; grant it or have someone who may create the Hotfix");
  }

  /**
   * A job check runs as a Job the operator creates: pat may patch the Deployment but not create
   * Jobs, so the operator must not create one for her (a smoke test could run anything); alice,
   * who may create Jobs ({@code edit}), gets her smoke test run.
   */
  @Test
  void aRequesterWhoMayNotCreateJobsCannotHaveTheOperatorRunASmokeTest() {
    bed.client.resource(new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder().withNewMetadata()
        .withName("deployment-patcher").endMetadata().addNewRule().withApiGroups("apps").withResources("deployments")
        .withVerbs("get", "list", "patch").endRule().build()).createOr(existing -> existing.update());
    Person pat = new Person("pat", "devs", "sre-oncall");
    bind(pat, Grants.REQUESTER, "deployment-patcher");
    bed.client.resource(new io.fabric8.kubernetes.api.model.PodTemplateBuilder().withNewMetadata()
        .withName("smoke-attack").withNamespace(NS).endMetadata().withNewTemplate().withNewSpec()
        .addNewContainer().withName("smoke").withImage("registry.example.com/smoke:1-smoke-pass").endContainer()
        .endSpec().endTemplate().build()).createOr(existing -> existing.update());
    assertThat(pat.kubectl(null, "auth", "can-i", "patch", "deployments").stdout().trim()).isEqualTo("yes");
    assertThat(pat.kubectl(null, "auth", "can-i", "create", "jobs").stdout().trim()).isEqualTo("no");
    String web = bed.deploymentReady(d -> { });
    DeploymentState before = DeploymentState.of(web);
    String smokeCheck = ", checks: [{name: smoke, job: {podTemplate: smoke-attack}}]";

    String refused = create(pat, new HotfixYaml(nextName(), "Critical", web, FIX).verification(smokeCheck));

    assertRejected(refused, before, "pat may not create jobs in namespace " + NS + ", which the job checks of "
        + "spec.verification.checks would run as Jobs: grant it (batch/jobs create), leave the job checks out, or "
        + "have someone who may create the Hotfix");
    assertThat(bed.client.batch().v1().jobs().inNamespace(NS).withLabel("hotfix.dev/hotfix", refused).list()
        .getItems()).as("no Job for pat").isEmpty();
    // only once pat's is judged: alice's own Hotfix changes the same Deployment
    String allowed = create(ALICE, new HotfixYaml(nextName(), "Critical", web, FIX).verification(smokeCheck));
    Hotfix done = bed.awaitTerminal(allowed);
    assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(Phase.Succeeded);
    assertThat(done.getStatus().checks).singleElement().satisfies(c -> assertThat(c.passed).isEqualTo(1));
  }

  /**
   * The safety knobs are the policy's to unlock, and the policy is not the requester's to edit:
   * alice may patch the Deployment herself, but not through the operator with downtime and no
   * rollback.
   */
  @Test
  void downtimeAndNoAutomaticRollbackAreRejectedAndTheRequesterCannotRelaxThePolicy() {
    String web = bed.deploymentReady(d -> { });
    DeploymentState before = DeploymentState.of(web);

    Kubectl.Result relaxed = ALICE.kubectl(null, "patch", "hotfixpolicy", HotfixPolicy.DEFAULT_NAME, "--type=merge",
        "-p", "{\"spec\":{\"limits\":{\"allowDowntime\":true,\"allowDisablingAutomaticRollback\":true}}}");
    String name = create(ALICE, new HotfixYaml(nextName(), "Critical", web, FIX)
        .rollout("allowDowntime: true, maxUnavailable: \"100%\"").rollback("{automatic: false}"));

    assertThat(relaxed.exitCode()).isNotZero();
    assertThat(relaxed.stderr()).contains("User \"alice\" cannot patch resource \"hotfixpolicies\"");
    assertRejected(name, before,
        "spec.rollout.allowDowntime: true is not allowed by HotfixPolicy default in namespace default "
            + "(spec.limits.allowDowntime is false): roll out with maxUnavailable 0",
        "spec.rollback.automatic: false is not allowed by HotfixPolicy default in namespace default "
            + "(spec.limits.allowDisablingAutomaticRollback is false): keep automatic rollback");
  }

  /** dave is not on call: neither his Critical nor the group he writes himself makes it break-glass. */
  @Test
  void aCriticalFromOutsideTheBreakGlassGroupsIsGovernedAsMajorAndChangesNothing() {
    String web = bed.deploymentReady(d -> { });
    DeploymentState before = DeploymentState.of(web);

    String name = create(DAVE, new HotfixYaml(nextName(), "Critical", web, FIX)
        .annotations("hotfix.dev/requested-by-groups: sre-oncall"));

    bed.awaitPhase(name, Phase.AwaitingApproval);
    assertThat(bed.get(name).getStatus().message).startsWith("Critical from dave is governed as Major: only "
        + "spec.breakGlass (users [], groups [sre-oncall]) of HotfixPolicy default in namespace default may "
        + "declare break-glass Critical; waiting for 2 more approvals (0 of 2)");
    assertThat(bed.get(name).getStatus().reviewRequired).isNull();
    before.assertUnchanged();
  }

  /** A waiting Hotfix cannot be used to block the on-call's Critical. */
  @Test
  void aCriticalGoesAheadOfAMajorWaitingForApprovalWhichIsSuperseded() {
    String web = bed.deploymentReady(d -> { });
    String major = create(DAVE, "Major", web, OTHER_FIX);
    bed.awaitPhase(major, Phase.AwaitingApproval);

    Hotfix critical = bed.awaitTerminal(create(ALICE, "Critical", web, FIX));

    assertThat(critical.getStatus().phase).as(critical.getStatus().message).isEqualTo(Phase.Succeeded);
    Hotfix superseded = bed.awaitTerminal(major);
    assertThat(superseded.getStatus().phase).isEqualTo(Phase.Superseded);
    assertThat(superseded.getStatus().message).startsWith("superseded by Critical Hotfix "
        + critical.getMetadata().getName() + ", which went ahead on Deployment " + web);
    approve(major, BOB);
    approve(major, CAROL);
    assertThat(bed.get(major).getStatus().phase).as("late approvals change nothing").isEqualTo(Phase.Superseded);
    assertThat(bed.image(web)).isEqualTo(FIX);
    assertThat(bed.writes(web).apply()).as("only the Critical's rollout").isEqualTo(1);
  }

  /**
   * dave, who may create ConfigMaps, takes the name of alice's report before it is written; nina
   * then deletes the Hotfix: the foreign ConfigMap is neither overwritten nor garbage-collected.
   */
  @Test
  void someoneElsesConfigMapOfTheReportsNameIsLeftAloneAndTheReportGoesElsewhere() {
    String web = bed.deploymentReady(d -> { });
    String name = nextName();
    DAVE.kubectl(null, "create", "configmap", name + "-report", "--from-literal=payroll.csv=precious").assertOk();
    ConfigMap foreign = bed.client.configMaps().inNamespace(NS).withName(name + "-report").get();

    Hotfix done = bed.awaitTerminal(create(ALICE, new HotfixYaml(name, "Critical", web, FIX)));

    assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(Phase.Succeeded);
    String elsewhere = name + "-report-" + done.getMetadata().getUid().substring(0, 8);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(bed.get(name).getStatus().report).isEqualTo(elsewhere);
      ConfigMap report = bed.client.configMaps().inNamespace(NS).withName(elsewhere).get();
      assertThat(report).isNotNull();
      assertThat(report.getData()).containsKey(IncidentReport.KEY);
    });
    // Events are written on the recorder's own thread
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events(name, "Hotfix"))
        .anySatisfy(e -> {
          assertThat(e.getReason()).isEqualTo(ReportWriter.NAME_TAKEN_REASON);
          assertThat(e.getMessage()).contains("ConfigMap " + name + "-report exists and is not this Hotfix's "
              + "report", "in ConfigMap " + elsewhere);
        }));

    NINA.kubectl(null, "delete", "hotfix", name).assertOk();
    ConfigMap untouched = bed.client.configMaps().inNamespace(NS).withName(name + "-report").get();
    assertThat(untouched.getData()).isEqualTo(Map.of("payroll.csv", "precious"));
    assertThat(untouched.getMetadata().getResourceVersion()).isEqualTo(foreign.getMetadata().getResourceVersion());
  }

  /** The audit trail of a break-glass change outlives the Hotfix, whoever may delete it. */
  @Test
  void deletingAFinishedCriticalHotfixKeepsItsReportAndLeavesAnEventOnTheDeployment() {
    String web = bed.deploymentReady(d -> { });
    String name = create(ALICE, "Critical", web, FIX);
    Hotfix done = bed.awaitTerminal(name);
    assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(Phase.Succeeded);
    assertThat(done.getStatus().reviewRequired).isTrue();
    // the report is written after the Hotfix ends
    String report = await().atMost(Duration.ofSeconds(10)).until(() -> bed.get(name).getStatus().report,
        r -> r != null && bed.client.configMaps().inNamespace(NS).withName(r).get() != null);

    Kubectl.Result byAlice = ALICE.kubectl(null, "delete", "hotfix", name);
    NINA.kubectl(null, "delete", "hotfix", name).assertOk();

    assertThat(byAlice.exitCode()).isNotZero();
    assertThat(byAlice.stderr()).contains("User \"alice\" cannot delete resource \"hotfixes\"");
    Event deleted = await().atMost(Duration.ofSeconds(10)).until(() -> events(web, "Deployment").stream()
        .filter(e -> ReportWriter.HOTFIX_DELETED_REASON.equals(e.getReason())).findFirst(), Optional::isPresent).get();
    assertThat(deleted.getMessage()).contains("Hotfix " + name + " (Critical, Succeeded", "was deleted",
        "kept in ConfigMap " + report);
    ConfigMap kept = bed.client.configMaps().inNamespace(NS).withName(report).get();
    assertThat(kept).as("the report is kept").isNotNull();
    assertThat(kept.getMetadata().getOwnerReferences()).as("nothing garbage-collects the audit trail")
        .isNullOrEmpty();
    assertThat(kept.getData().get(IncidentReport.KEY)).contains("# Incident report: Hotfix " + name, "alice");
    Kubectl.Result readByBob = BOB.kubectl(null, "get", "configmap", report, "-o", "jsonpath={.data.report\\.md}");
    assertThat(readByBob.assertOk().stdout()).contains("# Incident report: Hotfix " + name);
  }

  /** One kubectl call of bob's creates 400 approvals: the Hotfix's status stays small. */
  @Test
  void fourHundredRepeatedApprovalsLeaveASmallStatus() {
    String web = bed.deploymentReady(d -> { });
    DeploymentState before = DeploymentState.of(web);
    String name = create(ALICE, "Major", web, FIX);
    bed.awaitPhase(name, Phase.AwaitingApproval);

    // four kubectl processes at once, a hundred approvals each, as a script would send them
    List<CompletableFuture<Kubectl.Result>> batches = IntStream.range(0, 4).mapToObj(batch ->
        CompletableFuture.supplyAsync(() -> BOB.kubectl(IntStream.range(batch * 100, batch * 100 + 100)
            .mapToObj(i -> approvalYaml(name + "-" + i, name, "again " + i, "{}"))
            .collect(Collectors.joining("---\n")), "create", "-f", "-"), runnable -> new Thread(runnable).start()))
        .toList();
    batches.forEach(b -> b.join().assertOk());

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      Hotfix h = bed.get(name);
      assertThat(h.getStatus().message).contains("waiting for 1 more approval (1 of 2)", "(396 more)");
      assertThat(h.getStatus().approvals).extracting(r -> r.approver).containsExactly("bob");
    });
    Hotfix h = bed.get(name);
    assertThat(h.getStatus().message.length()).isLessThanOrEqualTo(StatusText.LIMIT);
    assertThat(Serialization.asJson(h.getStatus()).length()).as("the whole status").isLessThan(8 * 1024);
    assertThat(h.getStatus().phase).isEqualTo(Phase.AwaitingApproval);
    before.assertUnchanged();
  }

  /**
   * The expected failures of examples/ with terminal escape sequences, each sent by the person who
   * would write it: refused by the API server with the field to fix, nothing stored.
   */
  @Test
  void terminalEscapeSequencesInTicketCommentAndFreezeReasonAreRefused() {
    String policyVersion = policy().getMetadata().getResourceVersion();
    Map<Person, String> attempts = Map.of(ALICE, "control-characters-in-ticket.yaml",
        BOB, "control-characters-in-comment.yaml", PAULA, "control-characters-in-freeze-reason.yaml");
    List<String> refusals = new ArrayList<>();
    attempts.forEach((person, file) -> {
      Path manifest = ExpectedFailures.DIRECTORY.resolve(file);
      Kubectl.Result r = person.kubectl(null, "apply", "-f", manifest.toString());
      assertThat(r.exitCode()).as("%s by %s: %s", file, person.name(), r.stdout()).isNotZero();
      ExpectedFailures.expectations(manifest).forEach(e -> assertThat(r.stderr()).as(file).contains(e));
      refusals.add(r.stderr());
    });

    assertThat(refusals).hasSize(3);
    assertThat(bed.get("ticket-escape")).isNull();
    assertThat(approval("comment-escape")).isNull();
    assertThat(policy().getMetadata().getResourceVersion()).isEqualTo(policyVersion);
  }

  @Test
  void anImageFromARepositoryThePolicyDoesNotListIsRejectedAndNothingChanges() {
    String web = bed.deploymentReady(d -> { });
    DeploymentState before = DeploymentState.of(web);

    String name = create(ALICE, "Critical", web, EVIL);

    assertRejected(name, before, "container app: repository evil.example.com/miner is not in "
        + "spec.images.allowedRepositories [registry.example.com/*] of HotfixPolicy default in namespace default: "
        + "ship an image from an allowed repository");
  }

  @Test
  void anImageNotPinnedByDigestIsRejectedAndNothingChanges() {
    String web = bed.deploymentReady(d -> { });
    DeploymentState before = DeploymentState.of(web);
    String tagged = FIX.substring(0, FIX.indexOf('@'));

    String name = create(ALICE, "Critical", web, tagged);

    assertRejected(name, before, "container app: image " + tagged + " is not pinned by digest, "
        + "and spec.images.requireDigest of HotfixPolicy default in namespace default is true: use "
        + "registry.example.com/web@sha256:<digest>");
  }

  /** The attack ended Rejected with a message saying what to fix, the Deployment as it was. */
  private static void assertRejected(String hotfix, DeploymentState before, String... message) {
    Hotfix done = bed.awaitTerminal(hotfix);
    assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(Phase.Rejected);
    assertThat(done.getStatus().message).contains(message);
    before.assertUnchanged();
  }

  /**
   * What an attack must not change on a Deployment: its spec (the pod template included), its
   * annotations (the operator's hold and record), and the operator's writes to it.
   */
  private record DeploymentState(String name, DeploymentSpec spec, Map<String, String> annotations,
      OperatorWrites writes) {
    static DeploymentState of(String name) {
      Deployment d = bed.deployment(name);
      return new DeploymentState(name, d.getSpec(), d.getMetadata().getAnnotations(), bed.writes(name));
    }

    void assertUnchanged() {
      assertThat(of(name)).as("Deployment %s", name).isEqualTo(this);
    }
  }

  /** One member of the team, as the API server authenticates them. */
  private record Person(String name, List<String> groups) {
    Person(String name, String... groups) {
      this(name, List.of(groups));
    }

    /** kubectl as this person (and system:authenticated, as the API server adds). */
    Kubectl.Result kubectl(String input, String... args) {
      List<String> all = new ArrayList<>();
      all.add("--as=" + name);
      groups.forEach(g -> all.add("--as-group=" + g));
      all.addAll(List.of(args));
      return kubectl.runWithInput(input, all.toArray(String[]::new));
    }
  }

  private static void bind(Person person, String... clusterRoles) {
    for (String role : clusterRoles) {
      Grants.bind(bed.client, NS, role, person.name());
    }
  }

  private static String nextName() {
    return "attack-" + SEQ.incrementAndGet();
  }

  private static String create(Person requester, String severity, String target, String image) {
    return create(requester, new HotfixYaml(nextName(), severity, target, image));
  }

  private static String create(Person requester, HotfixYaml hotfix) {
    requester.kubectl(hotfix.yaml(), "create", "-f", "-").assertOk();
    return hotfix.name;
  }

  private static void approve(String hotfix, Person approver) {
    approver.kubectl(approvalYaml(hotfix + "-" + approver.name(), hotfix, "reviewed", "{}"), "create", "-f", "-")
        .assertOk();
  }

  private static HotfixApproval approval(String name) {
    return bed.client.resources(HotfixApproval.class).inNamespace(NS).withName(name).get();
  }

  private static HotfixPolicy policy() {
    return bed.client.resources(HotfixPolicy.class).inNamespace(NS).withName(HotfixPolicy.DEFAULT_NAME).get();
  }

  private static List<Event> events(String involved, String kind) {
    return bed.client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> involved.equals(e.getInvolvedObject().getName()) && kind.equals(e.getInvolvedObject().getKind()))
        .toList();
  }

  /** A Hotfix manifest as its requester writes it, with test-sized timings. */
  private static final class HotfixYaml {
    private final String name;
    private final String severity;
    private final String target;
    private final String image;
    private String annotations = "{}";
    private String rollout = "";
    private String rollback = "{}";
    private int bakeSeconds = 2;
    private String verification = "";

    HotfixYaml(String name, String severity, String target, String image) {
      this.name = name;
      this.severity = severity;
      this.target = target;
      this.image = image;
    }

    HotfixYaml annotations(String yaml) {
      annotations = yaml;
      return this;
    }

    /** Fields added to spec.rollout, as flow-style YAML without braces. */
    HotfixYaml rollout(String fields) {
      rollout = ", " + fields;
      return this;
    }

    HotfixYaml rollback(String yaml) {
      rollback = yaml;
      return this;
    }

    /** Fields added to spec.verification, as flow-style YAML without braces. */
    HotfixYaml verification(String fields) {
      verification = fields;
      return this;
    }

    HotfixYaml bakeSeconds(int seconds) {
      bakeSeconds = seconds;
      return this;
    }

    String yaml() {
      return """
          apiVersion: hotfix.dev/v1alpha1
          kind: Hotfix
          metadata:
            name: %s
            namespace: default
            annotations:
          %s
          spec:
            severity: %s
            reason: governance attack test
            target: {name: %s}
            containers: [{name: app, image: "%s"}]
            rollout: {progressDeadlineSeconds: 30, podReadyTimeoutSeconds: 10%s}
            rollback: %s
            verification: {bakeSeconds: %d, intervalSeconds: 1%s}
          """.formatted(name, indent(annotations), severity, target, image, rollout, rollback, bakeSeconds,
          verification);
    }
  }

  private static String approvalYaml(String name, String hotfix, String comment, String annotations) {
    return """
        apiVersion: hotfix.dev/v1alpha1
        kind: HotfixApproval
        metadata:
          name: %s
          namespace: default
          annotations:
        %s
        spec: {hotfix: %s, decision: Approve, comment: "%s"}
        """.formatted(name, indent(annotations), hotfix, comment);
  }

  private static String indent(String annotations) {
    return annotations.strip().equals("{}") ? "    {}" : annotations.strip().lines().map(l -> "    " + l)
        .collect(Collectors.joining("\n"));
  }
}
