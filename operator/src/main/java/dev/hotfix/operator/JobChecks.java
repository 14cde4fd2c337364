package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.CanaryStatus;
import dev.hotfix.api.v1alpha1.CheckSpec;
import dev.hotfix.api.v1alpha1.CheckStatus;
import dev.hotfix.api.v1alpha1.JobCheck;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.RollbackCause;
import dev.hotfix.health.CheckTally;
import dev.hotfix.health.Measurement;
import dev.hotfix.health.SmokeTest;
import dev.hotfix.health.Verdict;
import dev.hotfix.rollout.SmokeTestJob;
import io.fabric8.kubernetes.api.model.PodTemplate;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
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
final class JobChecks {
  static final int LOG_LINES = 20;
  static final int LOG_BYTES = 2048;

  private final SmokeTestJobs jobs;
  private final VerificationMetrics metrics;

  JobChecks(SmokeTestJobs jobs, VerificationMetrics metrics) {
    this.jobs = jobs;
    this.metrics = metrics;
  }

  /**
   * @param tally the check's tally after this round
   * @param failure the check's failure, when it passed a limit
   * @param nextDue when the Hotfix should come back for it without an event (the Job's deadline, a retry)
   */
  record Outcome(CheckStatus tally, Optional<Verdict> failure, Optional<Instant> nextDue) {
  }

  /** What makes a job check unusable before anything changed: its PodTemplate missing or unfit for a Job. */
  Optional<String> problem(Observation o) {
    String namespace = o.hotfix().getMetadata().getNamespace();
    for (CheckSpec check : o.spec().checks()) {
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
  static boolean any(EffectiveSpec spec) {
    return spec.checks().stream().anyMatch(c -> c.job != null);
  }

  /** One round of one job check. */
  Outcome run(Observation o, CheckSpec spec, CheckStatus tally) {
    if (count(tally.passed) > 0 || count(tally.failed) > 0) {
      return new Outcome(tally, Optional.empty(), Optional.empty()); // decided for this attempt
    }
    JobCheck job = withDefaults(spec.job);
    String namespace = o.hotfix().getMetadata().getNamespace();
    if (tally.job == null) {
      return create(o, spec, job, tally);
    }
    SmokeTest test = new SmokeTest(spec.name, tally.job, jobs.find(namespace, tally.job),
        Instants.parse(tally.jobCreatedAt, o.now()), Duration.ofSeconds(job.timeoutSeconds));
    Measurement m = test.measureAt(o.now());
    if (m.result() == Measurement.Result.NO_DATA) {
      CheckStatus running = CheckTally.copy(spec.name, tally);
      running.lastMessage = m.message();
      return new Outcome(running, Optional.empty(), Optional.of(test.giveUpAt()));
    }
    Outcome counted = record(o, spec, tally, m);
    counted.tally().logTail = jobs.logTail(namespace, tally.job, LOG_LINES, LOG_BYTES).orElse(null);
    return counted;
  }

  private Outcome create(Observation o, CheckSpec spec, JobCheck job, CheckStatus tally) {
    Optional<String> hash = revisionUnderTest(o);
    if (hash.isEmpty()) {
      return new Outcome(tally, Optional.empty(), Optional.empty()); // the revision's rollout brings the Hotfix back
    }
    Instant due = tally.lastMeasuredAt == null ? o.now() : Instant.parse(tally.lastMeasuredAt).plus(o.spec().interval());
    if (o.now().isBefore(due)) {
      return new Outcome(tally, Optional.empty(), Optional.of(due));
    }
    String namespace = o.hotfix().getMetadata().getNamespace();
    String name = SmokeTestJob.name(o.name(), spec.name, o.attempt());
    Optional<PodTemplate> template;
    try {
      template = jobs.template(namespace, job.podTemplate);
    } catch (KubernetesClientException e) {
      return record(o, spec, tally, error("could not read PodTemplate " + job.podTemplate + ": " + describe(e), o));
    }
    if (template.isEmpty()) {
      return record(o, spec, tally, error("PodTemplate " + job.podTemplate + " not found in namespace " + namespace, o));
    }
    Optional<String> unfit = SmokeTestJob.problem(spec.name, template.get());
    if (unfit.isPresent()) {
      return record(o, spec, tally, error(unfit.get(), o));
    }
    Job created;
    try {
      created = jobs.create(SmokeTestJob.of(o.hotfix(), spec.name, job, template.get(), o.attempt(),
          o.hotfix().getSpec().target.name, hash.get()));
    } catch (KubernetesClientException e) {
      Optional<Job> existing = e.getCode() == 409 ? jobs.find(namespace, name) : Optional.empty();
      if (existing.isEmpty()) {
        return record(o, spec, tally, error("could not create Job " + name + ": " + describe(e), o));
      }
      created = existing.get(); // created by an earlier pass whose status write was lost
    }
    CheckStatus started = CheckTally.copy(spec.name, tally);
    started.job = created.getMetadata().getName();
    started.jobCreatedAt = Optional.ofNullable(created.getMetadata().getCreationTimestamp()).orElse(o.now().toString());
    started.lastMessage = "created Job " + started.job + " against the revision with pod-template-hash " + hash.get();
    Instant giveUp = Instants.parse(started.jobCreatedAt, o.now()).plus(Duration.ofSeconds(job.timeoutSeconds))
        .plus(SmokeTest.GRACE);
    return new Outcome(started, Optional.empty(), Optional.of(giveUp));
  }

  private Outcome record(Observation o, CheckSpec spec, CheckStatus tally, Measurement m) {
    return counted(metrics, o, spec, tally, m);
  }

  /**
   * Counts one measurement of a check without a threshold (a job or http check) against its
   * limits; on a provider error below errorLimit, the retry is due one interval on.
   */
  static Outcome counted(VerificationMetrics metrics, Observation o, CheckSpec spec, CheckStatus tally,
      Measurement m) {
    metrics.measured(m);
    CheckTally.Outcome outcome = MetricChecks.limits(spec).record(spec.name, tally, m, null);
    Optional<Verdict> failure = outcome.failure().map(f -> Verdict.failed(RollbackCause.Check, f));
    failure.ifPresent(f -> metrics.faultDetected(o.hotfix().getMetadata().getUid(), m.at()));
    Optional<Instant> retry = m.result() == Measurement.Result.ERROR && failure.isEmpty()
        ? Optional.of(o.now().plus(o.spec().interval())) : Optional.empty();
    return new Outcome(outcome.tally(), failure, retry);
  }

  /**
   * The pod-template-hash of the revision a smoke test runs against once it is up: the canary
   * while it is analysed, else the new revision once rolled out (Verifying); empty before.
   */
  static Optional<String> revisionUnderTest(Observation o) {
    CanaryStatus c = o.status().canary;
    if (c != null && c.verdict == null && c.analysisStartedAt != null && c.podTemplateHash != null) {
      return Optional.of(c.podTemplateHash);
    }
    if (o.phase() == Phase.Verifying && o.status().applied != null) {
      return Optional.ofNullable(o.status().applied.podTemplateHash);
    }
    return Optional.empty();
  }

  /** The check's Job settings with the CRD's defaults restated (see {@link EffectiveSpec} for why). */
  static JobCheck withDefaults(JobCheck spec) {
    JobCheck j = new JobCheck();
    j.podTemplate = spec.podTemplate;
    j.timeoutSeconds = spec.timeoutSeconds == null ? 300 : spec.timeoutSeconds;
    j.backoffLimit = spec.backoffLimit == null ? 0 : spec.backoffLimit;
    j.ttlSecondsAfterFinished = spec.ttlSecondsAfterFinished == null ? 3600 : spec.ttlSecondsAfterFinished;
    return j;
  }

  private static Measurement error(String message, Observation o) {
    return new Measurement(Measurement.Result.ERROR, OptionalDouble.empty(), message, o.now());
  }

  private static String describe(KubernetesClientException e) {
    return HotfixReconciler.describe(e);
  }

  private static int count(Integer n) {
    return n == null ? 0 : n;
  }
}
