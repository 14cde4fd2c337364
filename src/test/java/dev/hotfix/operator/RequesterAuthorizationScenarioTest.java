package dev.hotfix.operator;

import static dev.hotfix.testing.IdentityStamps.TEST_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.sandbox.SandboxOptions;
import dev.hotfix.testing.Grants;
import dev.hotfix.testing.Kubectl;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The confused deputy, tried as an attacker would: alice may create Hotfixes in the namespace but
 * may not patch its Deployments; the operator may. Through the real kubectl {@code --as}, with
 * RBAC enforced and the admission webhook registered, her Critical (no approval needed) Hotfix
 * must not make the operator patch for her. Seen failing (Succeeded, the Deployment patched) with
 * the access review in PendingHandler taken out.
 */
class RequesterAuthorizationScenarioTest {
  private static final String NEW_IMAGE = "registry.example.com/web:1.1-hotfix.1";

  @TempDir
  static Path dir;
  private static ScenarioBed bed;
  private static AdmissionWebhookBed webhook;
  private static Kubectl kubectl;

  @BeforeAll
  static void start() throws Exception {
    bed = new ScenarioBed(SandboxOptions.defaults().withPrometheus(false).withPodStartDelay(Duration.ofMillis(300)),
        OperatorOptions.defaults().withIdentityProofs(TEST_KEY));
    webhook = new AdmissionWebhookBed(bed, dir, TEST_KEY).register();
    Grants.installPeopleRoles(bed.client);
    Grants.bind(bed.client, ScenarioBed.NS, Grants.REQUESTER, "alice");
    Grants.bind(bed.client, ScenarioBed.NS, Grants.REQUESTER, "bob");
    Grants.bind(bed.client, ScenarioBed.NS, "edit", "bob");
    kubectl = new Kubectl(bed.writeKubeconfig(dir.resolve("kubeconfig")));
  }

  @AfterAll
  static void stop() {
    ScenarioBed.closeAll(webhook, bed);
  }

  @Test
  void aRequesterWhoMayNotPatchTheDeploymentIsRejectedAndNothingChanges() {
    String web = bed.deploymentReady(d -> { });
    String before = bed.deployment(web).getMetadata().getResourceVersion();
    assertThat(kubectl.run("auth", "can-i", "create", "hotfixes.hotfix.dev", "--as", "alice").stdout().trim())
        .isEqualTo("yes");
    assertThat(kubectl.run("auth", "can-i", "patch", "deployments/" + web, "--as", "alice").stdout().trim())
        .isEqualTo("no");

    Hotfix hotfix = bed.hotfix(web, NEW_IMAGE, s -> { });
    kubectl.runWithInput(Serialization.asYaml(hotfix), "create", "-f", "-", "--as", "alice").assertOk();
    Hotfix done = bed.awaitTerminal(hotfix.getMetadata().getName());

    assertThat(done.getStatus().phase).isEqualTo(Phase.Rejected);
    assertThat(done.getStatus().message).isEqualTo("alice may not patch deployments/" + web + " in namespace "
        + ScenarioBed.NS + "; grant it or have someone who may create the Hotfix");
    assertThat(bed.deployment(web).getMetadata().getResourceVersion()).as("the Deployment was not written")
        .isEqualTo(before);
    assertThat(bed.images(web)).containsEntry("app", ScenarioBed.GOOD);
  }

  @Test
  void aRequesterWhoMayPatchTheDeploymentShipsTheirHotfix() {
    String web = bed.deploymentReady(d -> { });
    assertThat(kubectl.run("auth", "can-i", "patch", "deployments/" + web, "--as", "bob").stdout().trim())
        .isEqualTo("yes");

    Hotfix hotfix = bed.hotfix(web, NEW_IMAGE, s -> { });
    kubectl.runWithInput(Serialization.asYaml(hotfix), "create", "-f", "-", "--as", "bob").assertOk();
    Hotfix done = bed.awaitTerminal(hotfix.getMetadata().getName());

    assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(Phase.Succeeded);
    assertThat(done.getStatus().requestedBy).isEqualTo("bob");
    assertThat(bed.images(web)).containsEntry("app", NEW_IMAGE);
  }
}
