package dev.hotfix.operator;

import static dev.hotfix.testing.IdentityStamps.TEST_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotfix.api.v1alpha1.ApprovalRecord;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixApproval;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.sandbox.SandboxOptions;
import dev.hotfix.testing.Kubectl;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Governance tried as an attacker would (issue 12), through the real kubectl as the people
 * ({@code --as}), against the sandbox with the operator's admission webhook registered and the
 * operator holding the identity key. Each attack must change nothing on the Deployment and say
 * why. Each test was seen failing with its fix reverted: the CRD's transition rules removed (the
 * edit is accepted), approvals matched by creation time only (the recreated Hotfix ships on the
 * old approval), no governance check before the first patch (the forged RollingOut patches the
 * Deployment), the rollback trusting status.previous (revision 1 is restored), identities
 * verified by the flag instead of their proof (the forged names count and the Hotfix ships).
 */
class GovernanceAttacksScenarioTest {
  private static final String FIX = "registry.example.com/web:1.1-hotfix.1";
  private static final String OTHER_FIX = "registry.example.com/web:1.2-hotfix.1";
  private static final String EVIL = "evil.example.com/miner:latest";
  private static final String NS = ScenarioBed.NS;
  private static final AtomicInteger SEQ = new AtomicInteger();

  @TempDir
  static Path dir;
  private static ScenarioBed bed;
  private static AdmissionWebhookBed webhook;
  private static HotfixOperator operator;
  private static Kubectl kubectl;
  /** Created while the webhook was not registered yet, with forged identities. */
  private static String forgedHotfix;
  private static String forgedTarget;

  @BeforeAll
  static void start() throws Exception {
    bed = ScenarioBed.withoutOperator(SandboxOptions.defaults().withPrometheus(false)
        .withPodStartDelay(Duration.ofMillis(300)));
    kubectl = new Kubectl(bed.writeKubeconfig(dir.resolve("kubeconfig")));
    // two approvals for Major, so that one inherited approval would make the difference
    kubectl.runWithInput("""
        apiVersion: hotfix.dev/v1alpha1
        kind: HotfixPolicy
        metadata: {name: default, namespace: default}
        spec:
          severities:
            Major: {allowed: true, approvals: 2}
        """, "create", "-f", "-").assertOk();

    // the webhook is absent: mallory writes whatever identities she likes
    forgedTarget = bed.deploymentReady(d -> { });
    forgedHotfix = "forged-" + SEQ.incrementAndGet();
    as("mallory", "devs", hotfixYaml(forgedHotfix, "Major", forgedTarget, FIX, """
        hotfix.dev/requested-by: carol
        hotfix.dev/requested-by-groups: sre-leads
        hotfix.dev/identity-proof: "v1:bm90LWEtcHJvb2Y"
        """), "create", "-f", "-").assertOk();
    for (String approver : new String[] {"bob", "dave"}) {
      as("mallory", "devs", approvalYaml(forgedHotfix + "-" + approver, forgedHotfix, """
          hotfix.dev/approved-by: %s
          hotfix.dev/approved-by-groups: sre-leads
          """.formatted(approver)), "create", "-f", "-").assertOk();
    }

    webhook = new AdmissionWebhookBed(bed, dir, TEST_KEY).register();
    operator = HotfixOperator.start(bed.client, OperatorOptions.defaults().withIdentityProofs(TEST_KEY)
        .withNamespaces(Set.of(NS)), PhaseListener.NONE);
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (webhook != null) {
      webhook.close();
    }
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void anApprovedHotfixCannotBeEditedIntoAnotherImageOrTarget() {
    String web = bed.deploymentReady(d -> { });
    String other = bed.deploymentReady(d -> { });
    String name = createAsAlice("Major", web, FIX);
    bed.awaitPhase(name, Phase.AwaitingApproval);
    approve(name, "bob");
    approve(name, "carol");
    Hotfix done = bed.awaitTerminal(name);
    assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(Phase.Succeeded);
    String fixed = bed.currentHash(web);

    Kubectl.Result image = as("alice", "devs", null, "patch", "hotfix", name, "--type=merge", "-p",
        "{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"" + EVIL + "\"}]}}");
    Kubectl.Result target = as("alice", "devs", null, "patch", "hotfix", name, "--type=merge", "-p",
        "{\"spec\":{\"target\":{\"name\":\"" + other + "\"}}}");

    assertThat(image.exitCode()).as(image.stdout()).isNotZero();
    assertThat(image.stderr()).contains("spec.containers is immutable: create a new Hotfix for a different image");
    assertThat(target.exitCode()).as(target.stdout()).isNotZero();
    assertThat(target.stderr()).contains("spec.target is immutable: create a new Hotfix for a different Deployment");
    assertThat(bed.get(name).getSpec().containers).singleElement().satisfies(c -> assertThat(c.image).isEqualTo(FIX));
    assertThat(bed.images(web)).containsEntry("app", FIX);
    // the pod template was not touched (the release of the lock may change annotations and so the generation)
    assertThat(bed.currentHash(web)).isEqualTo(fixed);
    assertThat(bed.images(other)).containsEntry("app", ScenarioBed.GOOD);
  }

  /**
   * The old approval is made in the same second as the recreated Hotfix (creation times have
   * one-second resolution), so only its recorded Hotfix uid tells the two Hotfixes apart.
   */
  @Test
  void aHotfixDeletedAndRecreatedUnderTheSameNameInheritsNoApproval() {
    String web = bed.deploymentReady(d -> { });
    String name = null;
    for (int attempt = 0; attempt < 10 && name == null; attempt++) {
      String candidate = "again-" + SEQ.incrementAndGet();
      createAsAlice(candidate, "Major", web, FIX);
      approve(candidate, "bob");
      as("alice", "devs", null, "delete", "hotfix", candidate).assertOk();
      createAsAlice(candidate, "Major", web, OTHER_FIX);
      if (approval(candidate + "-bob").getMetadata().getCreationTimestamp()
          .equals(bed.get(candidate).getMetadata().getCreationTimestamp())) {
        name = candidate;
      } else {
        as("alice", "devs", null, "delete", "hotfix", candidate).assertOk();
      }
    }
    assertThat(name).as("an approval and a recreated Hotfix within one second").isNotNull();
    approve(name, "carol");
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
    assertThat(bed.images(web)).containsEntry("app", ScenarioBed.GOOD);
  }

  @Test
  void aForgedStatusCannotSkipTheApprovals() {
    String web = bed.deploymentReady(d -> { });
    String name = createAsAlice("Major", web, FIX);
    bed.awaitPhase(name, Phase.AwaitingApproval);
    Deployment before = bed.deployment(web);
    String hash = bed.currentHash(web);
    String forged = """
        {"status":{"phase":"RollingOut","previous":{"revision":1,"podTemplateHash":"%s","replicaSet":"%s-%s",
         "images":[{"name":"app","image":"%s"}]}}}""".formatted(hash, web, hash, ScenarioBed.GOOD);

    Kubectl.Result byAlice = as("alice", "devs", null, "patch", "hotfix", name, "--subresource=status",
        "--type=merge", "-p", forged);
    assertThat(byAlice.exitCode()).isNotZero();
    assertThat(byAlice.stderr()).contains("the status of Hotfix " + name + " is written by the hotfix-operator ("
        + AdmissionWebhookBed.OPERATOR_USER + ") alone, not by alice");

    // as if the webhook were down (failurePolicy: Ignore) or bypassed: the operator itself must hold
    kubectl.run("patch", "hotfix", name, "--subresource=status", "--type=merge", "-p", forged).assertOk();
    // a status write alone does not wake the operator (no new generation); the next event does
    approve(name, "bob");

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Hotfix h = bed.get(name);
      assertThat(h.getStatus().phase).isEqualTo(Phase.AwaitingApproval);
      // the timeline, not the message: a later reconcile (the approval's own status) rewrites the message
      assertThat(h.getStatus().timeline).extracting(e -> e.message).anySatisfy(m -> assertThat(m)
          .contains("not patching Deployment " + web + ": status said RollingOut, but "
              + "the policy does not clear this Hotfix: waiting for 1 more approval (1 of 2)"));
    });
    assertThat(bed.deployment(web).getMetadata().getResourceVersion())
        .isEqualTo(before.getMetadata().getResourceVersion());
    assertThat(bed.observed(web)).allSatisfy(d -> assertThat(d.getMetadata().getAnnotations())
        .doesNotContainKey("hotfix.dev/active"));
  }

  @Test
  void aForgedPreviousRevisionCannotSteerTheRollback() {
    String web = bed.deploymentReady(d -> { });
    String first = bed.currentHash(web);
    kubectl.run("set", "image", "deployment/" + web, "app=registry.example.com/web:1.0.1").assertOk();
    await().atMost(Duration.ofSeconds(30)).until(() -> !bed.currentHash(web).equals(first)
        && Integer.valueOf(ScenarioBed.REPLICAS).equals(bed.deployment(web).getStatus().getAvailableReplicas())
        && Integer.valueOf(ScenarioBed.REPLICAS).equals(bed.deployment(web).getStatus().getUpdatedReplicas()));
    String name = createAsAlice("Critical", web, FIX, 600);
    bed.awaitPhase(name, Phase.Verifying);
    String fixed = bed.currentHash(web);

    // revision 1 is a real ReplicaSet of the Deployment, not the one the Hotfix replaced
    kubectl.run("patch", "hotfix", name, "--subresource=status", "--type=merge", "-p", """
        {"status":{"previous":{"revision":1,"podTemplateHash":"%s","replicaSet":"%s-%s",
         "images":[{"name":"app","image":"%s"}]}}}""".formatted(first, web, first, ScenarioBed.GOOD)).assertOk();
    as("alice", "devs", null, "patch", "hotfix", name, "--type=merge", "-p", "{\"spec\":{\"abort\":true}}")
        .assertOk();

    Hotfix done = bed.awaitTerminal(name);
    assertThat(done.getStatus().phase).isEqualTo(Phase.Failed);
    assertThat(done.getStatus().message).contains("cannot roll back: status.previous names revision 1",
        "but the operator recorded revision 2", "nothing was changed");
    assertThat(bed.images(web)).containsEntry("app", FIX);
    // the pod template was not touched (the release of the lock may change annotations and so the generation)
    assertThat(bed.currentHash(web)).isEqualTo(fixed);
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
  }

  private static String createAsAlice(String severity, String target, String image) {
    return createAsAlice(severity, target, image, 2);
  }

  private static String createAsAlice(String severity, String target, String image, int bakeSeconds) {
    String name = "attack-" + SEQ.incrementAndGet();
    as("alice", "devs", hotfixYaml(name, severity, target, image, "{}", bakeSeconds), "create", "-f", "-")
        .assertOk();
    return name;
  }

  private static void createAsAlice(String name, String severity, String target, String image) {
    as("alice", "devs", hotfixYaml(name, severity, target, image, "{}", 2), "create", "-f", "-").assertOk();
  }

  private static void approve(String hotfix, String approver) {
    as(approver, "sre-leads", approvalYaml(hotfix + "-" + approver, hotfix, "{}"), "create", "-f", "-").assertOk();
  }

  private static HotfixApproval approval(String name) {
    return bed.client.resources(HotfixApproval.class).inNamespace(NS).withName(name).get();
  }

  /** kubectl as {@code user} in {@code group} (and system:authenticated, as the API server adds). */
  private static Kubectl.Result as(String user, String group, String input, String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--as=" + user;
    all[1] = "--as-group=" + group;
    System.arraycopy(args, 0, all, 2, args.length);
    return kubectl.runWithInput(input, all);
  }

  private static String hotfixYaml(String name, String severity, String target, String image, String annotations) {
    return hotfixYaml(name, severity, target, image, annotations, 2);
  }

  private static String hotfixYaml(String name, String severity, String target, String image, String annotations,
      int bakeSeconds) {
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
          rollout: {progressDeadlineSeconds: 30, podReadyTimeoutSeconds: 10}
          verification: {bakeSeconds: %d, intervalSeconds: 1}
        """.formatted(name, indent(annotations), severity, target, image, bakeSeconds);
  }

  private static String approvalYaml(String name, String hotfix, String annotations) {
    return """
        apiVersion: hotfix.dev/v1alpha1
        kind: HotfixApproval
        metadata:
          name: %s
          namespace: default
          annotations:
        %s
        spec: {hotfix: %s, decision: Approve, comment: reviewed}
        """.formatted(name, indent(annotations), hotfix);
  }

  private static String indent(String annotations) {
    return annotations.strip().equals("{}") ? "    {}" : annotations.strip().lines().map(l -> "    " + l)
        .reduce((a, b) -> a + "\n" + b).orElse("    {}");
  }
}
