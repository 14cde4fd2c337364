package dev.hotfix.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotfix.api.v1alpha1.CanarySpec;
import dev.hotfix.api.v1alpha1.CheckSpec;
import dev.hotfix.api.v1alpha1.CheckStatus;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.JobCheck;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.health.job.SmokeTest;
import dev.hotfix.report.IncidentReport;
import dev.hotfix.rollout.SmokeTestJob;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplate;
import io.fabric8.kubernetes.api.model.PodTemplateBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Job checks on the sandbox: a smoke-test Job from a PodTemplate runs once the new revision is
 * up (or the canary, before the Deployment is touched); its success lets the Hotfix succeed,
 * its failure or timeout rolls back, with the tail of its pod's log in status and the incident
 * report. Seen failing when broken: with {@link SmokeTest} reading Failed as a pass (the mutant
 * of the report), the failing and timed-out Hotfixes succeed.
 */
class JobCheckScenarioTest {
  private static final AtomicInteger SEQ = new AtomicInteger();
  private static ScenarioBed bed;

  @BeforeAll
  static void start() {
    bed = ScenarioBed.quick();
  }

  @AfterAll
  static void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void aPassingSmokeTestLetsTheHotfixSucceed() {
    String web = bed.deploymentReady(d -> { });
    String template = podTemplate("registry.example.com/smoke:1-smoke-pass", null);
    Hotfix h = withJobCheck(bed.hotfix(web, "registry.example.com/web:1.1-hotfix.1", s -> { }), template, 60);

    Hotfix done = bed.runToEnd(h);

    assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(Phase.Succeeded);
    CheckStatus smoke = smoke(done);
    assertThat(smoke.passed).isEqualTo(1);
    assertThat(smoke.logTail).contains("smoke test: 2 of 2 checks passed").endsWith("exited with code 0\n");
    Job job = bed.client.batch().v1().jobs().inNamespace(ScenarioBed.NS).withName(smoke.job).get();
    assertThat(job.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
      assertThat(r.getUid()).isEqualTo(done.getMetadata().getUid());
      assertThat(r.getController()).isTrue();
    });
    assertThat(job.getMetadata().getLabels()).containsEntry(SmokeTestJob.CHECK_LABEL, "smoke");
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(60L);
    assertThat(job.getSpec().getBackoffLimit()).isZero();
    assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(3600);
    assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .anySatisfy(e -> {
          assertThat(e.getName()).isEqualTo(SmokeTestJob.ENV_HASH);
          assertThat(e.getValue()).isEqualTo(done.getStatus().applied.podTemplateHash);
        });
    assertThat(Instant.parse(job.getMetadata().getCreationTimestamp()))
        .as("the Job runs once the new revision is rolled out")
        .isAfterOrEqualTo(Instant.parse(done.getStatus().bakeStartedAt).minusSeconds(1));
  }

  @Test
  void aFailingSmokeTestRollsBackWithItsLogInTheReport() {
    String web = bed.deploymentReady(d -> { });
    String template = podTemplate("registry.example.com/smoke:1-smoke-fail", "Never");
    Hotfix h = withJobCheck(bed.hotfix(web, "registry.example.com/web:1.1-hotfix.2", s -> { }), template, 60);

    Hotfix done = bed.runToEnd(h);

    assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(Phase.RolledBack);
    CheckStatus smoke = smoke(done);
    assertThat(done.getStatus().rollbackReason).isEqualTo("check: smoke: Job " + smoke.job + " failed "
        + "(BackoffLimitExceeded: Job has reached the specified backoff limit) (failure 1 of limit 0)");
    assertThat(bed.image(web)).isEqualTo(ScenarioBed.GOOD);
    assertThat(smoke.logTail).contains("smoke test: GET /checkout: 500 Internal Server Error (expected 200)");
    assertThat(IncidentReport.render(done)).contains("Smoke-test Jobs:", "`" + smoke.job + "`",
        "  smoke test: 1 of 2 checks failed");
  }

  @Test
  void aSmokeTestPastItsTimeoutRollsBack() {
    String web = bed.deploymentReady(d -> { });
    String template = podTemplate("registry.example.com/smoke:1-hangs", null);
    Hotfix h = withJobCheck(bed.hotfix(web, "registry.example.com/web:1.1-hotfix.3", s -> { }), template, 2);

    Hotfix done = bed.runToEnd(h);

    assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(Phase.RolledBack);
    assertThat(done.getStatus().rollbackReason).startsWith("check: smoke: Job ")
        .contains("failed (DeadlineExceeded: Job was active longer than specified deadline)");
    assertThat(bed.image(web)).isEqualTo(ScenarioBed.GOOD);
  }

  @Test
  void aFailingSmokeTestOfTheCanaryLeavesTheDeploymentUntouched() {
    String web = bed.deploymentReady(d -> { });
    long generation = bed.deployment(web).getMetadata().getGeneration();
    String template = podTemplate("registry.example.com/smoke:1-smoke-fail", null);
    Hotfix h = withJobCheck(bed.hotfix(web, "registry.example.com/web:1.1-hotfix.4", s -> {
      s.rollout.canary = new CanarySpec();
      s.rollout.canary.pods = new IntOrString(1);
      s.rollout.canary.analysisSeconds = 1;
    }), template, 60);

    Hotfix done = bed.runToEnd(h);

    assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(Phase.RolledBack);
    assertThat(done.getStatus().rollbackReason).startsWith("check: smoke: Job ");
    Job job = bed.client.batch().v1().jobs().inNamespace(ScenarioBed.NS).withName(smoke(done).job).get();
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .as("the smoke test ran against the canary").anySatisfy(e -> {
          assertThat(e.getName()).isEqualTo(SmokeTestJob.ENV_HASH);
          assertThat(e.getValue()).isEqualTo(done.getStatus().canary.podTemplateHash);
        });
    assertThat(bed.deployment(web).getMetadata().getGeneration()).isEqualTo(generation);
    bed.assertWrites(web, 0, 0, 0);
  }

  @Test
  void aMissingOrUnfitPodTemplateIsRejectedWithNothingChanged() {
    String web = bed.deploymentReady(d -> { });
    String always = podTemplate("registry.example.com/smoke:1-smoke-pass", "Always");

    Hotfix missing = bed.runToEnd(withJobCheck(bed.hotfix(web, "registry.example.com/web:1.1-hotfix.5", s -> { }),
        "no-such-template", 60));
    Hotfix restarting = bed.runToEnd(withJobCheck(bed.hotfix(web, "registry.example.com/web:1.1-hotfix.6",
        s -> { }), always, 60));

    assertThat(missing.getStatus().phase).isEqualTo(Phase.Rejected);
    assertThat(missing.getStatus().message).isEqualTo("check smoke: PodTemplate no-such-template not found in "
        + "namespace " + ScenarioBed.NS + ": create it, or fix spec.verification.checks[].job.podTemplate");
    assertThat(restarting.getStatus().phase).isEqualTo(Phase.Rejected);
    assertThat(restarting.getStatus().message).isEqualTo("check smoke: PodTemplate " + always + " has restartPolicy "
        + "Always; a Job's pods need Never or OnFailure (or leave it unset for Never)");
    bed.assertWrites(web, 0, 0, 0);
  }

  private static CheckStatus smoke(Hotfix done) {
    return done.getStatus().checks.stream().filter(c -> c.name.equals("smoke")).findFirst().orElseThrow();
  }

  private static Hotfix withJobCheck(Hotfix h, String template, int timeoutSeconds) {
    CheckSpec check = new CheckSpec();
    check.name = "smoke";
    check.job = new JobCheck();
    check.job.podTemplate = template;
    check.job.timeoutSeconds = timeoutSeconds;
    h.getSpec().verification.bakeSeconds = 1;
    h.getSpec().verification.intervalSeconds = 1;
    h.getSpec().verification.checks = List.of(check);
    return h;
  }

  /** A PodTemplate whose one container runs {@code image}, with {@code restartPolicy} (null: unset). */
  private static String podTemplate(String image, String restartPolicy) {
    String name = "smoke-" + SEQ.incrementAndGet();
    PodTemplate t = new PodTemplateBuilder().withNewMetadata().withName(name).withNamespace(ScenarioBed.NS)
        .endMetadata().withNewTemplate().withNewSpec().withRestartPolicy(restartPolicy).addNewContainer()
        .withName("smoke").withImage(image).endContainer().endSpec().endTemplate().build();
    bed.client.resource(t).create();
    return name;
  }
}
