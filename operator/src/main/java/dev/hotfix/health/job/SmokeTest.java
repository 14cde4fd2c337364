package dev.hotfix.health.job;

import dev.hotfix.api.v1alpha1.RollbackCause;
import dev.hotfix.health.HealthCheck;
import dev.hotfix.health.Measurement;
import dev.hotfix.health.RevisionUnderTest;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The job check provider: judges one smoke-test Job from its conditions, as {@code kubectl wait
 * --for=condition=complete} would. Complete is PASS, Failed is FAIL (with the Job controller's
 * reason: BackoffLimitExceeded, DeadlineExceeded), a Job still running past its deadline plus a
 * grace is FAIL as well (a Job controller that never enforces activeDeadlineSeconds must not
 * hold the Hotfix forever); anything else is NO_DATA, not finished yet.
 *
 * @param name the check's name
 * @param jobName the Job the check created
 * @param job the Job as last observed, empty when not seen (not yet in the cache, or deleted)
 * @param createdAt when the operator created it
 * @param timeout the Job's activeDeadlineSeconds
 */
public record SmokeTest(String name, String jobName, Optional<Job> job, Instant createdAt, Duration timeout)
    implements HealthCheck {

  /** The cause a failing job check gives the rollback. */
  public static final RollbackCause CAUSE = RollbackCause.Check;
  /** Beyond the Job's own deadline, how long the operator waits for its Job controller to say so. */
  public static final Duration GRACE = Duration.ofSeconds(30);

  @Override
  public RollbackCause cause() {
    return CAUSE;
  }

  @Override
  public Measurement measure(RevisionUnderTest revision) {
    return measureAt(revision.now());
  }

  @Override
  public Optional<Instant> recheckAt(RevisionUnderTest revision) {
    return Optional.of(giveUpAt());
  }

  /** When a Job that has not finished fails the check. */
  public Instant giveUpAt() {
    return createdAt.plus(timeout).plus(GRACE);
  }

  /** Judges the Job at {@code at}. */
  public Measurement measureAt(Instant at) {
    Optional<JobCondition> complete = condition("Complete");
    if (complete.isPresent()) {
      return new Measurement(Measurement.Result.PASS, OptionalDouble.empty(), "Job " + jobName + " succeeded", at);
    }
    Optional<JobCondition> failed = condition("Failed");
    if (failed.isPresent()) {
      return new Measurement(Measurement.Result.FAIL, OptionalDouble.empty(), "Job " + jobName + " failed ("
          + failed.get().getReason() + (failed.get().getMessage() == null ? "" : ": " + failed.get().getMessage())
          + ")", at);
    }
    if (!at.isBefore(giveUpAt())) {
      return new Measurement(Measurement.Result.FAIL, OptionalDouble.empty(), "Job " + jobName + " did not finish "
          + "within timeoutSeconds " + timeout.toSeconds() + " (and " + GRACE.toSeconds() + " s grace): "
          + job.map(SmokeTest::progress).orElse("the Job was never seen again after it was created"), at);
    }
    return new Measurement(Measurement.Result.NO_DATA, OptionalDouble.empty(), job.map(j -> "Job " + jobName
        + " running: " + progress(j)).orElse("Job " + jobName + " created, not seen yet"), at);
  }

  private Optional<JobCondition> condition(String type) {
    return job.map(Job::getStatus).map(s -> s.getConditions()).flatMap(cs -> cs.stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus())).findFirst());
  }

  private static String progress(Job j) {
    var s = j.getStatus();
    return s == null ? "no status yet" : count(s.getActive()) + " active, " + count(s.getSucceeded()) + " succeeded, "
        + count(s.getFailed()) + " failed pod(s)";
  }

  private static int count(Integer n) {
    return n == null ? 0 : n;
  }
}
