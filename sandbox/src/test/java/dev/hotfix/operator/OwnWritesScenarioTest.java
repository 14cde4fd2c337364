package dev.hotfix.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.rollout.HotfixAnnotations;
import dev.hotfix.sandbox.api.AdmissionReviewServer;
import dev.hotfix.testing.Kubectl;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperationsBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator knows its own writes on the sandbox: an image a mutating webhook pinned by digest
 * is still its own (Succeeded, or RolledBack, never Superseded); a write the API refuses as
 * invalid (422) ends the Hotfix with the server's message instead of retrying; and a lock
 * annotation that {@code kubectl rollout undo} copied back from a ReplicaSet is not mistaken for
 * a lock held. Seen failing with each fix reverted: string equality of images makes both
 * digest cases Superseded; without WriteRefused the refused Hotfix retries in RollingOut; the
 * name-only lock makes the reused name Superseded without patching.
 */
class OwnWritesScenarioTest {
  /** Deployments with this label get their images pinned by the webhook, as Kyverno's verifyImages does. */
  private static final String PIN = "pin-digests";
  /** Deployments with this label get the operator's patch refused as invalid by a validating webhook. */
  private static final String REFUSE = "refuse-hotfixes";

  @TempDir
  static Path dir;
  private static ScenarioBed bed;
  private static AdmissionReviewServer webhooks;

  @BeforeAll
  static void start() throws Exception {
    bed = ScenarioBed.quick();
    webhooks = new AdmissionReviewServer(dir);
    webhooks.answer("/pin", OwnWritesScenarioTest::pinDigests);
    webhooks.answer("/refuse", OwnWritesScenarioTest::refuseHotfixes);
    var deployments = new RuleWithOperationsBuilder().withOperations("CREATE", "UPDATE").withApiGroups("apps")
        .withApiVersions("v1").withResources("deployments").build();
    bed.client.resource(new MutatingWebhookConfigurationBuilder().withNewMetadata().withName("pin-digests")
        .endMetadata().addNewWebhook().withName("pin.digests.test").withNewClientConfig().withUrl(webhooks.url("/pin"))
        .withCaBundle(webhooks.caBundle()).endClientConfig().withRules(deployments).withFailurePolicy("Fail")
        .withSideEffects("None").withAdmissionReviewVersions("v1").withTimeoutSeconds(5).endWebhook().build())
        .create();
    bed.client.resource(new ValidatingWebhookConfigurationBuilder().withNewMetadata().withName("refuse-hotfixes")
        .endMetadata().addNewWebhook().withName("refuse.hotfixes.test").withNewClientConfig()
        .withUrl(webhooks.url("/refuse")).withCaBundle(webhooks.caBundle()).endClientConfig().withRules(deployments)
        .withFailurePolicy("Fail").withSideEffects("None").withAdmissionReviewVersions("v1").withTimeoutSeconds(5)
        .endWebhook().build()).create();
  }

  @AfterAll
  static void stop() {
    if (bed != null) {
      bed.close();
    }
    if (webhooks != null) {
      webhooks.close();
    }
  }

  @Test
  void aGoodImagePinnedByAWebhookSucceeds() {
    String web = bed.deploymentReady(d -> d.getMetadata().getLabels().put(PIN, "true"));
    assertThat(bed.images(web).get("app")).as("the webhook pins the owner's image too")
        .startsWith(ScenarioBed.GOOD + "@sha256:");

    Hotfix done = bed.runToEnd(bed.hotfix(web, "registry.example.com/web:1.1-hotfix.1", s -> { }));

    assertThat(done.getStatus().phase).isEqualTo(Phase.Succeeded);
    assertThat(bed.images(web).get("app")).isEqualTo(pinned("registry.example.com/web:1.1-hotfix.1"));
    assertThat(done.getStatus().applied.images).singleElement()
        .satisfies(i -> assertThat(i.image).isEqualTo(pinned("registry.example.com/web:1.1-hotfix.1")));
  }

  @Test
  void aBadImagePinnedByAWebhookIsRolledBack() {
    String web = bed.deploymentReady(d -> d.getMetadata().getLabels().put(PIN, "true"));

    Hotfix done = bed.runToEnd(bed.hotfix(web, "registry.example.com/web:1.1-crashloop", s -> { }));

    assertThat(done.getStatus().phase).isEqualTo(Phase.RolledBack);
    assertThat(done.getStatus().rollbackReason).startsWith("pod_fault:").contains("CrashLoopBackOff");
    assertThat(bed.images(web).get("app")).isEqualTo(pinned(ScenarioBed.GOOD));
    bed.assertAvailabilityNeverDropped(web);
  }

  @Test
  void aPatchTheApiRefusesAsInvalidEndsRejectedWithTheServersMessage() {
    String web = bed.deploymentReady(d -> d.getMetadata().getLabels().put(REFUSE, "true"));
    long generation = bed.deployment(web).getMetadata().getGeneration();

    Hotfix done = bed.runToEnd(bed.hotfix(web, "registry.example.com/web:1.1-hotfix.1", s -> { }));

    assertThat(done.getStatus().phase).isEqualTo(Phase.Rejected);
    assertThat(done.getStatus().message).contains("refused the operator's write", "HTTP 422",
        "spec.template.spec.containers[0].image: Invalid value", "nothing was changed");
    assertThat(bed.deployment(web).getMetadata().getGeneration()).isEqualTo(generation);
    assertThat(bed.images(web)).containsEntry("app", ScenarioBed.GOOD);
  }

  /** kubectl rollout undo copies a ReplicaSet's annotations, the old Hotfix's lock among them, back onto the Deployment. */
  @Test
  void aLockCopiedBackByRolloutUndoDoesNotFoolANewHotfixWithTheOldName() {
    Kubectl kubectl = new Kubectl(bed.writeKubeconfig(dir.resolve("kubeconfig")));
    String web = bed.deploymentReady(d -> { });
    Hotfix first = bed.runToEnd(bed.hotfix(web, "registry.example.com/web:1.1-hotfix.1", s -> { }));
    assertThat(first.getStatus().phase).isEqualTo(Phase.Succeeded);
    String name = first.getMetadata().getName();
    kubectl.run("set", "image", "deployment/" + web, "app=registry.example.com/web:1.2").assertOk();
    await().atMost(Duration.ofSeconds(30)).until(() -> bed.deployment(web).getStatus().getUpdatedReplicas() == ScenarioBed.REPLICAS
        && bed.deployment(web).getStatus().getAvailableReplicas() == ScenarioBed.REPLICAS
        && bed.deployment(web).getStatus().getReplicas() == ScenarioBed.REPLICAS
        && bed.deployment(web).getMetadata().getGeneration().equals(bed.deployment(web).getStatus().getObservedGeneration()));

    kubectl.run("rollout", "undo", "deployment/" + web).assertOk();
    assertThat(bed.deployment(web).getMetadata().getAnnotations()).as("the stale lock is back on the Deployment")
        .containsEntry(HotfixAnnotations.ACTIVE, name);
    bed.client.resource(first).delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> bed.get(name) == null);

    Hotfix again = bed.hotfix(web, "registry.example.com/web:1.3-hotfix.2", s -> { });
    again.getMetadata().setName(name);
    Hotfix done = bed.runToEnd(again);

    assertThat(done.getStatus().phase).isEqualTo(Phase.Succeeded);
    assertThat(bed.images(web)).containsEntry("app", "registry.example.com/web:1.3-hotfix.2");
    assertThat(bed.phases(done)).doesNotContain(Phase.Superseded);
  }

  /** Kyverno-style digest pinning: every image without a digest gets {@code @sha256:} of its name. */
  private static ObjectNode pinDigests(JsonNode request) {
    JsonNode object = request.path("object");
    ArrayNode patch = JsonNodeFactory.instance.arrayNode();
    if (object.path("metadata").path("labels").has(PIN)) {
      JsonNode containers = object.path("spec").path("template").path("spec").path("containers");
      for (int i = 0; i < containers.size(); i++) {
        String image = containers.get(i).path("image").asText();
        if (!image.contains("@")) {
          patch.addObject().put("op", "replace").put("path", "/spec/template/spec/containers/" + i + "/image")
              .put("value", pinned(image));
        }
      }
    }
    return patch.isEmpty() ? AdmissionReviewServer.allow() : AdmissionReviewServer.patch(patch);
  }

  /**
   * Refuses, as invalid, any write that puts a Hotfix's lock on a Deployment labelled
   * {@link #REFUSE}; lets dry runs through, as a policy that changed between pre-flight's dry run
   * and the write would (PreflightScenarioTest has the webhook that refuses the dry run too).
   */
  private static ObjectNode refuseHotfixes(JsonNode request) {
    JsonNode metadata = request.path("object").path("metadata");
    if (request.path("dryRun").asBoolean() || !metadata.path("labels").has(REFUSE)
        || !metadata.path("annotations").has(HotfixAnnotations.ACTIVE)) {
      return AdmissionReviewServer.allow();
    }
    ObjectNode denial = AdmissionReviewServer.deny("spec.template.spec.containers[0].image: Invalid value: "
        + "\"registry.example.com/web:1.1-hotfix.1\": images must come from the release pipeline");
    ((ObjectNode) denial.get("status")).put("code", 422);
    return denial;
  }

  private static String pinned(String image) {
    try {
      return image + "@sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(image.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
