package dev.hotfix.health.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotfix.api.v1alpha1.CheckSpec;
import dev.hotfix.api.v1alpha1.CheckStatus;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.JobCheck;
import dev.hotfix.api.v1alpha1.TargetKind;
import dev.hotfix.health.CheckContext;
import dev.hotfix.health.CheckOutcome;
import dev.hotfix.health.CheckTally;
import dev.hotfix.health.VerificationMetrics;
import dev.hotfix.rollout.SmokeTestJob;
import dev.hotfix.testing.HotfixFixtures;
import io.fabric8.kubernetes.api.model.PodTemplateBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One job check's rounds without a cluster: when its Job is made, what creating it may meet, how it ends. */
class JobChecksTest {
  private static final Instant NOW = Instant.parse("2026-12-05T08:00:00Z");
  private final InMemorySmokeTestJobs cluster = new InMemorySmokeTestJobs();
  private final JobChecks checks = new JobChecks(cluster, new VerificationMetrics(new SimpleMeterRegistry(),
      Clock.systemUTC()));
  private CheckSpec spec;

  @BeforeEach
  void template() {
    cluster.templates.put("shop/smoke", new PodTemplateBuilder().withNewMetadata().withName("smoke").endMetadata()
        .withNewTemplate().withNewSpec().addNewContainer().withName("t").withImage("tests:1").endContainer().endSpec()
        .endTemplate().build());
    spec = new CheckSpec();
    spec.name = "smoke";
    spec.job = new JobCheck();
    spec.job.podTemplate = "smoke";
    spec.errorLimit = 1;
  }

  @Test
  void noJobIsMadeBeforeTheRevisionUnderTestIsUp() {
    CheckOutcome round = checks.run(before(), spec, CheckTally.fresh("smoke"));

    assertThat(cluster.jobs).isEmpty();
    assertThat(round.nextDue()).isEmpty();
    assertThat(round.tally().job).isNull();
  }

  @Test
  void onceRolledOutOneJobIsMadeAgainstTheNewRevisionAndWaitedForUntilItsDeadline() {
    CheckOutcome round = checks.run(up(), spec, CheckTally.fresh("smoke"));

    Job job = cluster.jobs.values().iterator().next();
    assertThat(round.tally().job).isEqualTo(job.getMetadata().getName());
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue()).isEqualTo(SmokeTestJob.ENV_HASH + "=new1"));
    assertThat(round.nextDue()).contains(Instant.parse(round.tally().jobCreatedAt).plusSeconds(300)
        .plus(SmokeTest.GRACE));
    assertThat(round.tally().passed + round.tally().failed + round.tally().errors).as("nothing counted yet").isZero();
  }

  @Test
  void aJobTheApiServerRefusesIsAProviderErrorRetriedEachIntervalUpToTheErrorLimit() {
    cluster.refusal = new KubernetesClientException("jobs.batch is forbidden", 403, null);

    CheckOutcome first = checks.run(up(), spec, CheckTally.fresh("smoke"));
    CheckOutcome tooEarly = checks.run(up(NOW.plusSeconds(5)), spec, first.tally());
    CheckOutcome second = checks.run(up(NOW.plusSeconds(15)), spec, first.tally());

    assertThat(first.failure()).isEmpty();
    assertThat(first.tally().consecutiveErrors).isEqualTo(1);
    assertThat(first.tally().lastMessage).startsWith("could not create Job ");
    assertThat(first.nextDue()).contains(NOW.plusSeconds(15));
    assertThat(tooEarly.tally()).isSameAs(first.tally());
    assertThat(second.failure()).hasValueSatisfying(v -> assertThat(v.message())
        .startsWith("smoke failed to measure 2 times in a row (errorLimit 1): could not create Job "));
  }

  @Test
  void aJobAlreadyMadeByAPassWhoseStatusWasLostIsAdopted() {
    checks.run(up(), spec, CheckTally.fresh("smoke"));
    Job made = cluster.jobs.values().iterator().next();

    CheckOutcome again = checks.run(up(), spec, CheckTally.fresh("smoke"));

    assertThat(again.tally().job).isEqualTo(made.getMetadata().getName());
    assertThat(again.tally().errors).isZero();
    assertThat(cluster.jobs).hasSize(1);
  }

  @Test
  void aFailedJobFailsTheCheckWithItsLogTail() {
    CheckStatus started = checks.run(up(), spec, CheckTally.fresh("smoke")).tally();
    String key = "shop/" + started.job;
    cluster.jobs.put(key, new JobBuilder(cluster.jobs.get(key)).withNewStatus().addNewCondition().withType("Failed")
        .withStatus("True").withReason("BackoffLimitExceeded").withMessage("Job has reached the specified backoff limit")
        .endCondition().endStatus().build());
    cluster.logs.put(key, "GET /checkout: 500\n");

    CheckOutcome done = checks.run(up(NOW.plusSeconds(10)), spec, started);

    assertThat(done.failure()).hasValueSatisfying(v -> assertThat(v.message()).isEqualTo("smoke: Job " + started.job
        + " failed (BackoffLimitExceeded: Job has reached the specified backoff limit) (failure 1 of limit 0)"));
    assertThat(done.tally().logTail).isEqualTo("GET /checkout: 500\n");
  }

  /** A pass before the revision under test is up (rolling out, no canary). */
  private static CheckContext before() {
    return context(Optional.empty(), NOW);
  }

  /** A pass once the new revision {@code new1} is up. */
  private static CheckContext up() {
    return up(NOW);
  }

  private static CheckContext up(Instant now) {
    return context(Optional.of("new1"), now);
  }

  private static CheckContext context(Optional<String> revisionUnderTest, Instant now) {
    Hotfix h = HotfixFixtures.critical("shop", "fix-1", "web", "registry.example.com/web:1.1", s -> { });
    h.getMetadata().setUid("uid-fix-1");
    return new CheckContext(h, List.of(), Duration.ofSeconds(15), now, "uid-fix-1/" + NOW.minus(Duration.ofMinutes(1)),
        TargetKind.Deployment, Optional.of("old1"), revisionUnderTest, Optional.empty(), Map.of(), () -> { });
  }
}
