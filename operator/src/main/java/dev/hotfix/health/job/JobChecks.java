package dev.hotfix.health.job;

import dev.hotfix.api.v1alpha1.CheckSpec;
import dev.hotfix.api.v1alpha1.CheckStatus;
import dev.hotfix.api.v1alpha1.JobCheck;
import dev.hotfix.health.CheckContext;
import dev.hotfix.health.CheckOutcome;
import dev.hotfix.health.CheckTally;
import dev.hotfix.health.Instants;
import dev.hotfix.health.Measurement;
import dev.hotfix.health.VerificationMetrics;
import dev.hotfix.kube.ApiErrors;
import dev.hotfix.rollout.SmokeTestJob;
import io.fabric8.kubernetes.api.model.PodTemplate;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Runs job checks: once the revision under test is up (the canary under analysis, or the new
 * revision once rolled out), the check's Job is created, once per attempt; its Complete or
 * Failed condition ({@link SmokeTest}) is one measurement that goes through {@link CheckTally}
 * like a metric's. A Job still running is not a measurement: nothing is counted and the Job's
 * informer brings the Hotfix back when it finishes. A Job that cannot be created (its template
 * gone, the API refusing) is a provider error, tried again each interval up to errorLimit. When
 * the Job finished, the tail of its pod's log is kept for the incident report.
 */
public final class JobChecks {
  static final int LOG_LINES = 20;
  static final int LOG_BYTES = 2048;

  private final SmokeTestJobs jobs;
  private final VerificationMetrics metrics;

  public JobChecks(SmokeTestJobs jobs, VerificationMetrics metrics) {
    this.jobs = jobs;
    this.metrics = metrics;
  }

  /** What makes a job check unusable before anything changed: its PodTemplate missing or unfit for a Job. */
  public Optional<String> problem(CheckContext c) {
    String namespace = c.namespace();
    for (CheckSpec check : c.checks()) {
      if (check.job == null) {
        continue;
      }
      Optional<PodTemplate> template = jobs.template(namespace, check.job.podTemplate);
      if (template.isEmpty()) {
        return Optional.of("check " + check.name + ": PodTemplate " + check.job.podTemplate + " not found in namespace "
            + namespace + ": create it, or fix spec.verification.checks[].job.podTemplate");
      }
      Optional<String> unfit = SmokeTestJob.problem(check.name, template.get());
      if (unfit.isPresent()) {
        return unfit;
      }
    }
    return Optional.empty();
  }

  /** Whether any check of the Hotfix runs a Job. */
  public static boolean any(List<CheckSpec> checks) {
    return checks.stream().anyMatch(c -> c.job != null);
  }

  /** One round of one job check. */
  public CheckOutcome run(CheckContext c, CheckSpec spec, CheckStatus tally) {
    if (count(tally.passed) > 0 || count(tally.failed) > 0) {
      return CheckOutcome.unchanged(tally); // decided for this attempt
    }
    JobCheck job = withDefaults(spec.job);
    String namespace = c.namespace();
    if (tally.job == null) {
      return create(c, spec, job, tally);
    }
    SmokeTest test = new SmokeTest(spec.name, tally.job, jobs.find(namespace, tally.job),
        Instants.parse(tally.jobCreatedAt, c.now()), Duration.ofSeconds(job.timeoutSeconds));
    Measurement m = test.measureAt(c.now());
    if (m.result() == Measurement.Result.NO_DATA) {
      CheckStatus running = CheckTally.copy(spec.name, tally);
      running.lastMessage = m.message();
      return new CheckOutcome(running, Optional.empty(), Optional.of(test.giveUpAt()));
    }
    CheckOutcome counted = record(c, spec, tally, m);
    counted.tally().logTail = jobs.logTail(namespace, tally.job, LOG_LINES, LOG_BYTES).orElse(null);
    return counted;
  }

  private CheckOutcome create(CheckContext c, CheckSpec spec, JobCheck job, CheckStatus tally) {
    Optional<String> hash = c.revisionUnderTest();
    if (hash.isEmpty()) {
      return CheckOutcome.unchanged(tally); // the revision's rollout brings the Hotfix back
    }
    Instant due = c.dueAfter(tally.lastMeasuredAt);
    if (c.now().isBefore(due)) {
      return new CheckOutcome(tally, Optional.empty(), Optional.of(due));
    }
    String namespace = c.namespace();
    String name = SmokeTestJob.name(c.name(), spec.name, c.attempt());
    Optional<PodTemplate> template;
    try {
      template = jobs.template(namespace, job.podTemplate);
    } catch (KubernetesClientException e) {
      return record(c, spec, tally, error("could not read PodTemplate " + job.podTemplate + ": " + ApiErrors.describe(e), c));
    }
    if (template.isEmpty()) {
      return record(c, spec, tally, error("PodTemplate " + job.podTemplate + " not found in namespace " + namespace, c));
    }
    Optional<String> unfit = SmokeTestJob.problem(spec.name, template.get());
    if (unfit.isPresent()) {
      return record(c, spec, tally, error(unfit.get(), c));
    }
    Job created;
    try {
      created = jobs.create(SmokeTestJob.of(c.hotfix(), spec.name, job, template.get(), c.attempt(), c.targetName(),
          hash.get()));
    } catch (KubernetesClientException e) {
      Optional<Job> existing = e.getCode() == 409 ? jobs.find(namespace, name) : Optional.empty();
      if (existing.isEmpty()) {
        return record(c, spec, tally, error("could not create Job " + name + ": " + ApiErrors.describe(e), c));
      }
      created = existing.get(); // created by an earlier pass whose status write was lost
    }
    CheckStatus started = CheckTally.copy(spec.name, tally);
    started.job = created.getMetadata().getName();
    started.jobCreatedAt = Optional.ofNullable(created.getMetadata().getCreationTimestamp()).orElse(c.now().toString());
    started.lastMessage = "created Job " + started.job + " against the revision with pod-template-hash " + hash.get();
    Instant giveUp = Instants.parse(started.jobCreatedAt, c.now()).plus(Duration.ofSeconds(job.timeoutSeconds))
        .plus(SmokeTest.GRACE);
    return new CheckOutcome(started, Optional.empty(), Optional.of(giveUp));
  }

  private CheckOutcome record(CheckContext c, CheckSpec spec, CheckStatus tally, Measurement m) {
    return CheckOutcome.counted(metrics, c, spec, tally, m, null);
  }

  /** The check's Job settings with the CRD's defaults restated (CrdDefaultsTest compares them with the CRD's). */
  public static JobCheck withDefaults(JobCheck spec) {
    JobCheck j = new JobCheck();
    j.podTemplate = spec.podTemplate;
    j.timeoutSeconds = spec.timeoutSeconds == null ? 300 : spec.timeoutSeconds;
    j.backoffLimit = spec.backoffLimit == null ? 0 : spec.backoffLimit;
    j.ttlSecondsAfterFinished = spec.ttlSecondsAfterFinished == null ? 3600 : spec.ttlSecondsAfterFinished;
    return j;
  }

  private static Measurement error(String message, CheckContext c) {
    return new Measurement(Measurement.Result.ERROR, OptionalDouble.empty(), message, c.now());
  }

  private static int count(Integer n) {
    return n == null ? 0 : n;
  }
}
