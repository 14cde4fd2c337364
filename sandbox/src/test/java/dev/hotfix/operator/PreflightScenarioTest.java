package dev.hotfix.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotfix.api.v1alpha1.CheckStatus;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.rollout.DeploymentRevisions;
import dev.hotfix.sandbox.SandboxOptions;
import dev.hotfix.sandbox.api.AdmissionReviewServer;
import dev.hotfix.sandbox.prometheus.PrometheusServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperationsBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pre-flight and the dry run on the sandbox with its real Prometheus: each refusal ends the
 * Hotfix Rejected with what to fix, and the operator's writes to the Deployment, counted at the
 * API server, are zero (its resourceVersion unchanged: a dry run is not a write). Each test was
 * seen failing with its check removed from PreflightChecks or MetricAnalysis.preflight, and the
 * dry run's with PendingHandler going to RollingOut regardless of spec.dryRun.
 */
class PreflightScenarioTest {
  /** Images the webhook below refuses: what an image-signature policy (Kyverno, Connaisseur) would do. */
  private static final String UNSIGNED = "unsigned";

  @TempDir
  static Path dir;
  private static ScenarioBed bed;
  private static AdmissionReviewServer webhooks;

  @BeforeAll
  static void start() throws Exception {
    assertThat(PrometheusServer.findBinary()).as(PrometheusServer.NOT_FOUND).isPresent();
    bed = ScenarioBed.withSandboxPrometheus(SandboxOptions.defaults().withPodStartDelay(Duration.ofMillis(300)));
    webhooks = new AdmissionReviewServer(dir);
    webhooks.answer("/signed", PreflightScenarioTest::refuseUnsigned);
  }

  @AfterAll
  static void stop() {
    ScenarioBed.closeAll(bed, webhooks);
  }

  @Test
  void aDryRunChangesNothingAndShowsThePatchAndTheChecksValues() {
    String web = bed.deploymentReady(d -> { });
    Deployment before = bed.deployment(web);

    Hotfix done = bed.runToEnd(bed.hotfix(web, "registry.example.com/web:1.1-hotfix.1", s -> {
      s.dryRun = true;
      s.verification.checks = List.of(SandboxChecks.errorRate(web));
    }));

    assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(Phase.Previewed);
    assertThat(done.getStatus().message).contains("dry run", "nothing was changed", "error-rate");
    assertThat(done.getStatus().patch.changes).anySatisfy(c -> {
      assertThat(c.path).isEqualTo("spec.template.spec.containers[app].image");
      assertThat(c.before).isEqualTo(ScenarioBed.GOOD);
      assertThat(c.after).isEqualTo("registry.example.com/web:1.1-hotfix.1");
    });
    assertThat(done.getStatus().patch.jsonPatch).contains("\"op\":\"replace\",\"path\":\"/spec/template/spec/"
        + "containers/0/image\",\"value\":\"registry.example.com/web:1.1-hotfix.1\"");
    CheckStatus errorRate = done.getStatus().checks.get(0);
    assertThat(Double.parseDouble(errorRate.lastValue)).as("the error rate of the revision running now").isLessThan(0.05);
    assertThat(done.getStatus().preflight).allSatisfy(r -> assertThat(r.passed).as(r.name).isTrue());
    assertThat(done.getStatus().conditions).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Ready");
      assertThat(c.getStatus()).isEqualTo("True");
    });
    Deployment after = bed.deployment(web);
    assertThat(after.getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
    assertThat(bed.images(web)).containsEntry("app", ScenarioBed.GOOD);
    bed.assertWrites(web, 0, 0, 0);
  }

  @Test
  void aPatchAnAdmissionWebhookRefusesIsCaughtByTheDryRunWithNothingWritten() {
    String web = bed.deploymentReady(d -> { });
    long generation = bed.deployment(web).getMetadata().getGeneration();
    ValidatingWebhookConfiguration signatures = bed.client.resource(new ValidatingWebhookConfigurationBuilder()
        .withNewMetadata().withName("signed-images").endMetadata().addNewWebhook().withName("signed.images.test")
        .withNewClientConfig().withUrl(webhooks.url("/signed")).withCaBundle(webhooks.caBundle()).endClientConfig()
        .withRules(new RuleWithOperationsBuilder().withOperations("UPDATE").withApiGroups("apps")
            .withApiVersions("v1").withResources("deployments").build())
        .withFailurePolicy("Fail").withSideEffects("None").withAdmissionReviewVersions("v1").withTimeoutSeconds(5)
        .endWebhook().build()).create();
    try {
      Hotfix done = bed.runToEnd(bed.hotfix(web, "registry.example.com/web:1.1-" + UNSIGNED, s -> { }));

      assertThat(done.getStatus().phase).isEqualTo(Phase.Rejected);
      assertThat(done.getStatus().message).contains("pre-flight dry-run", "admission webhook \"signed.images.test\" "
          + "denied the request", "not signed", "nothing was changed");
      assertThat(webhooks.received()).anySatisfy(review -> {
        assertThat(review.path("name").asText()).isEqualTo(web);
        assertThat(review.path("dryRun").asBoolean()).isTrue();
      });
      assertThat(bed.deployment(web).getMetadata().getGeneration()).isEqualTo(generation);
      bed.assertWrites(web, 0, 0, 0);
    } finally {
      bed.client.resource(signatures).delete();
    }
  }

  @Test
  void aFullPodQuotaIsRejectedBeforeTheRolloutWouldStall() {
    String web = bed.deploymentReady(d -> { });
    long running = bed.client.pods().inNamespace(ScenarioBed.NS).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null).map(Pod::getStatus)
        .filter(s -> !List.of("Succeeded", "Failed").contains(s.getPhase())).count();
    ResourceQuota full = bed.client.resource(new ResourceQuotaBuilder().withNewMetadata().withName("pods")
        .withNamespace(ScenarioBed.NS).endMetadata().withNewSpec()
        .addToHard("pods", new Quantity(Long.toString(running))).endSpec().build()).create();
    try {
      Hotfix done = bed.runToEnd(bed.hotfix(web, "registry.example.com/web:1.1-hotfix.1", s -> { }));

      assertThat(done.getStatus().phase).isEqualTo(Phase.Rejected);
      assertThat(done.getStatus().message).contains("pre-flight quota", "ResourceQuota pods allows pods=" + running,
          "would be refused", "nothing was changed");
      bed.assertWrites(web, 0, 0, 0);
    } finally {
      bed.client.resource(full).delete();
    }
  }

  /**
   * The informer cache still has the ReplicaSet; the API server says it is gone (pruned or deleted
   * after the last event the operator saw): the live read is what counts.
   */
  @Test
  void aRollbackTargetGoneFromTheApiServerIsRejected() {
    String web = bed.deploymentReady(d -> { });
    String replicaSet = web + "-" + bed.currentHash(web);
    bed.faults().fail(r -> r.method().equals("GET") && r.path().endsWith("/replicasets/" + replicaSet), 404, 10);
    try {
      Hotfix done = bed.runToEnd(bed.hotfix(web, "registry.example.com/web:1.1-hotfix.1", s -> { }));

      assertThat(done.getStatus().phase).isEqualTo(Phase.Rejected);
      assertThat(done.getStatus().message).contains("pre-flight rollback-target", "ReplicaSet " + replicaSet,
          "is gone from the API server", "nothing was changed");
      bed.assertWrites(web, 0, 0, 0);
    } finally {
      bed.faults().clear();
    }
  }

  @Test
  void aConfigMapTheOldTemplateNeedsThatIsGoneIsRejected() {
    String settings = "settings-" + System.nanoTime();
    bed.client.resource(new ConfigMapBuilder().withNewMetadata().withName(settings).withNamespace(ScenarioBed.NS)
        .endMetadata().addToData("mode", "fast").build()).create();
    String web = bed.deploymentReady(d -> d.getSpec().getTemplate().getSpec().getContainers().get(0)
        .setEnvFrom(List.of(new EnvFromSourceBuilder().withNewConfigMapRef().withName(settings).endConfigMapRef()
            .build())));
    bed.client.configMaps().inNamespace(ScenarioBed.NS).withName(settings).delete();

    Hotfix done = bed.runToEnd(bed.hotfix(web, "registry.example.com/web:1.1-hotfix.1", s -> { }));

    assertThat(done.getStatus().phase).isEqualTo(Phase.Rejected);
    assertThat(done.getStatus().message).contains("pre-flight rollback-references", "ConfigMap " + settings
        + ", which no longer exists", "recreate it");
    assertThat(done.getStatus().preflight).filteredOn(r -> !r.passed).extracting(r -> r.name)
        .containsExactly(PreflightChecks.ROLLBACK_REFERENCES);
    bed.assertWrites(web, 0, 0, 0);
  }

  @Test
  void aCheckWhoseQueryNeverHasDataIsRejectedUpFront() {
    String web = bed.deploymentReady(d -> { });
    var noSuchDeployment = SandboxChecks.errorRate(web + "-typo");
    noSuchDeployment.noDataLimit = 2;

    Hotfix done = bed.runToEnd(bed.hotfix(web, "registry.example.com/web:1.1-hotfix.1",
        s -> s.verification.checks = List.of(noSuchDeployment)));

    assertThat(done.getStatus().phase).isEqualTo(Phase.Rejected);
    assertThat(done.getStatus().message).contains("check error-rate: the query has no data for the revision running now",
        "or vector(0)");
    assertThat(bed.phases(done)).doesNotContain(Phase.RollingOut);
    bed.assertWrites(web, 0, 0, 0);
    assertThat(DeploymentRevisions.revisionOf(bed.deployment(web))).isEqualTo(1);
  }

  /** Refuses a Deployment whose pod template has an image tagged {@value #UNSIGNED}, dry run or not. */
  private static ObjectNode refuseUnsigned(JsonNode request) {
    for (JsonNode container : request.path("object").path("spec").path("template").path("spec").path("containers")) {
      if (container.path("image").asText().contains(UNSIGNED)) {
        return AdmissionReviewServer.deny("image " + container.path("image").asText() + " is not signed");
      }
    }
    return AdmissionReviewServer.allow();
  }
}
