package dev.hotfix.operator;

import static dev.hotfix.testing.IdentityStamps.TEST_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotfix.api.v1alpha1.ApprovalRecord;
import dev.hotfix.api.v1alpha1.Decision;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixApproval;
import dev.hotfix.api.v1alpha1.HotfixApprovalSpec;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.Severity;
import dev.hotfix.policy.IdentityAnnotations;
import dev.hotfix.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four eyes with verified identities, end to end: the operator's admission webhook runs over
 * HTTPS, is registered with the sandbox API server as a real cluster registers it (Mutating and
 * ValidatingWebhookConfiguration with a caBundle), and people act through impersonating clients,
 * as {@code kubectl --as} does. The API server, not the client, says who is asking.
 */
class VerifiedIdentityScenarioTest {
  private static final String NEW_IMAGE = "registry.example.com/web:1.1-hotfix.1";

  @TempDir
  static Path dir;
  private static ScenarioBed bed;
  private static AdmissionWebhookBed webhook;
  private static KubernetesClient alice;
  private static KubernetesClient bob;

  @BeforeAll
  static void start() throws Exception {
    bed = new ScenarioBed(SandboxOptions.defaults().withPrometheus(false).withPodStartDelay(Duration.ofMillis(300)),
        OperatorOptions.defaults().withIdentityProofs(TEST_KEY));
    webhook = new AdmissionWebhookBed(bed, dir, TEST_KEY).register();
    alice = webhook.as("alice", "devs");
    bob = webhook.as("bob", "sre-leads");
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {alice, bob, webhook, bed}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Test
  void theRequesterCannotApproveTheirOwnHotfixAndAnotherPersonsApprovalShipsItWithVerifiedNames() {
    String web = bed.deploymentReady(d -> { });
    Hotfix request = bed.hotfix(web, NEW_IMAGE, s -> s.severity = Severity.Major);
    // a forged identity is overwritten by the webhook with the one the API server authenticated
    request.getMetadata().setAnnotations(Map.of(IdentityAnnotations.REQUESTED_BY, "mallory"));
    Hotfix created = alice.resource(request).create();
    String name = created.getMetadata().getName();
    assertThat(created.getMetadata().getAnnotations()).containsEntry(IdentityAnnotations.REQUESTED_BY, "alice")
        .containsEntry(IdentityAnnotations.REQUESTED_BY_GROUPS, "devs,system:authenticated")
        .containsKey(IdentityAnnotations.PROOF);
    bed.awaitPhase(name, Phase.AwaitingApproval);

    assertThatThrownBy(() -> alice.resource(approval(name + "-alice", name)).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(403);
          assertThat(e.getMessage()).contains("admission webhook", "denied the request", "alice");
        });
    assertThat(bed.client.resources(HotfixApproval.class).inNamespace(ScenarioBed.NS).withName(name + "-alice").get())
        .as("the refused approval was not stored").isNull();
    assertThat(bed.get(name).getStatus().phase).isEqualTo(Phase.AwaitingApproval);

    bob.resource(approval(name + "-bob", name)).create();
    Hotfix done = bed.awaitTerminal(name);

    assertThat(done.getStatus().phase).isEqualTo(Phase.Succeeded);
    assertThat(done.getStatus().requestedBy).isEqualTo("alice");
    assertThat(done.getStatus().requesterVerified).isTrue();
    assertThat(done.getStatus().approvals).singleElement().satisfies((ApprovalRecord a) -> {
      assertThat(a.approver).isEqualTo("bob");
      assertThat(a.verified).isTrue();
      assertThat(a.counted).isTrue();
    });
    ConfigMap report = bed.client.configMaps().inNamespace(ScenarioBed.NS).withName(done.getStatus().report).get();
    assertThat(report.getData().get("report.md")).contains("alice", "bob").doesNotContain("unverified");
  }

  private static HotfixApproval approval(String name, String hotfix) {
    HotfixApproval a = new HotfixApproval();
    a.getMetadata().setName(name);
    a.getMetadata().setNamespace(ScenarioBed.NS);
    HotfixApprovalSpec spec = new HotfixApprovalSpec();
    spec.hotfix = hotfix;
    spec.decision = Decision.Approve;
    spec.comment = "diff reviewed";
    a.setSpec(spec);
    return a;
  }
}
