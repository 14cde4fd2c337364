package dev.hotfix.health.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotfix.api.v1alpha1.CheckStatus;
import dev.hotfix.health.CheckTally;
import dev.hotfix.health.Measurement;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The job check provider: a Job's conditions as a measurement, and its deadline as a failure. */
class SmokeTestTest {
  private static final Instant CREATED = Instant.parse("2026-12-05T07:00:00Z");
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Test
  void aCompleteJobPasses() {
    Measurement m = test(job("Complete", "CompletionsReached", null)).measureAt(CREATED.plusSeconds(5));

    assertThat(m.result()).isEqualTo(Measurement.Result.PASS);
    assertThat(m.message()).isEqualTo("Job smoke-1 succeeded");
  }

  @Test
  void aFailedJobFailsWithTheJobControllersReason() {
    Measurement m = test(job("Failed", "DeadlineExceeded", "Job was active longer than specified deadline"))
        .measureAt(CREATED.plusSeconds(61));

    assertThat(m.result()).isEqualTo(Measurement.Result.FAIL);
    assertThat(m.message()).isEqualTo("Job smoke-1 failed (DeadlineExceeded: Job was active longer than specified "
        + "deadline)");
  }

  @Test
  void aRunningJobIsNotYetAMeasurementUntilItsDeadlineAndGracePass() {
    Job running = new JobBuilder(job(null, null, null)).withNewStatus().withActive(1).endStatus().build();
    SmokeTest test = test(running);

    Measurement before = test.measureAt(CREATED.plus(TIMEOUT).plus(SmokeTest.GRACE).minusMillis(1));
    Measurement after = test.measureAt(CREATED.plus(TIMEOUT).plus(SmokeTest.GRACE));

    assertThat(before.result()).isEqualTo(Measurement.Result.NO_DATA);
    assertThat(before.message()).isEqualTo("Job smoke-1 running: 1 active, 0 succeeded, 0 failed pod(s)");
    assertThat(after.result()).isEqualTo(Measurement.Result.FAIL);
    assertThat(after.message()).isEqualTo("Job smoke-1 did not finish within timeoutSeconds 60 (and 30 s grace): "
        + "1 active, 0 succeeded, 0 failed pod(s)");
    assertThat(test.giveUpAt()).isEqualTo(CREATED.plusSeconds(90));
  }

  @Test
  void aFailedJobPastItsLimitFailsTheCheckNamingTheJobNotAThreshold() {
    Measurement m = test(job("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit"))
        .measureAt(CREATED.plusSeconds(3));

    CheckTally.Outcome outcome = new CheckTally(0, 3, 4).record("smoke", new CheckStatus(), m, null);

    assertThat(outcome.failure()).contains("smoke: Job smoke-1 failed (BackoffLimitExceeded: Job has reached the "
        + "specified backoff limit) (failure 1 of limit 0)");
    assertThat(outcome.tally().failed).isEqualTo(1);
  }

  private static SmokeTest test(Job job) {
    return new SmokeTest("smoke", "smoke-1", Optional.of(job), CREATED, TIMEOUT);
  }

  private static Job job(String condition, String reason, String message) {
    JobBuilder b = new JobBuilder().withNewMetadata().withName("smoke-1").endMetadata();
    if (condition != null) {
      b.withNewStatus().addNewCondition().withType(condition).withStatus("True").withReason(reason)
          .withMessage(message).endCondition().endStatus();
    }
    return b.build();
  }
}
