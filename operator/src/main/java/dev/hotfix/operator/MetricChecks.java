package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.CanaryStatus;
import dev.hotfix.api.v1alpha1.CheckSpec;
import dev.hotfix.api.v1alpha1.CheckStatus;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixStatus;
import dev.hotfix.api.v1alpha1.RollbackCause;
import dev.hotfix.health.CanaryQuery;
import dev.hotfix.health.CheckTally;
import dev.hotfix.health.Measurement;
import dev.hotfix.health.MetricCheck;
import dev.hotfix.health.MetricSource;
import dev.hotfix.health.MetricSourceException;
import dev.hotfix.health.Threshold;
import dev.hotfix.health.Verdict;
import dev.hotfix.rollout.DeploymentRevisions;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Runs a Hotfix's checks that are due (job checks through {@link JobChecks}, http checks through {@link HttpChecks}): a metric check is measured when its
 * {@code lastMeasuredAt + intervalSeconds <= now} (the tally lives in {@code status.checks[]},
 * so restarts neither lose counts nor measure early), and the reconciler comes back at the next
 * due time. The queries run on {@link MeasurementWorkers}, never on the reconcile thread: a due
 * check whose answer is not in yet is left as it is, and the answer's arrival brings the Hotfix
 * back. Each measurement goes through {@link CheckTally}; the first check past a limit fails the
 * round.
 */
final class MetricChecks {
  private final MetricSources sources;
  private final VerificationMetrics metrics;
  private final MeasurementWorkers workers;
  private final Consumer<ResourceID> wake;
  private final JobChecks jobs;
  private final HttpChecks https;

  /**
   * @param workers where the queries run
   * @param wake re-triggers a Hotfix's reconcile when an answer it waits for is in
   * @param jobs runs the job checks
   * @param https runs the http checks (on the same workers)
   */
  MetricChecks(MetricSources sources, VerificationMetrics metrics, MeasurementWorkers workers,
      Consumer<ResourceID> wake, JobChecks jobs, HttpChecks https) {
    this.sources = sources;
    this.metrics = metrics;
    this.workers = workers;
    this.wake = wake;
    this.jobs = jobs;
    this.https = https;
  }

  /** What makes the http checks unusable before anything changed ({@link HttpChecks#problem}). */
  Optional<String> httpProblem(Observation o) {
    return https.problem(o);
  }

  /** What makes the job checks unusable before anything changed ({@link JobChecks#problem}). */
  Optional<String> jobProblem(Observation o) {
    return jobs.problem(o);
  }

  /**
   * Before the rollout: whether Prometheus refuses a check's query (bad PromQL) or has no data for
   * it now, asked once per check on the workers.
   *
   * @param waiting an answer is not in yet (the Hotfix is woken when it is)
   * @param noData a check's query has no data yet, and when to ask again (within its grace)
   * @param refusal what to fix, when Prometheus refused a query or it had no data past its grace
   * @param values each check's measurement now (its threshold judged on the revision running now), by name, in spec order (the checks asked before a
   *     provider error stopped the asking)
   */
  record Preflight(boolean waiting, Optional<NoData> noData, Optional<String> refusal,
      Map<String, Measurement> values) {
    static final Preflight WAITING = new Preflight(true, Optional.empty(), Optional.empty(), Map.of());

    static Preflight done(Optional<String> refusal, Map<String, Measurement> values) {
      return new Preflight(false, Optional.empty(), refusal, values);
    }
  }

  /**
   * A check's query without data yet, within its grace.
   *
   * @param check the check's name
   * @param measurement what the query answered
   * @param askAgainAt the next try, one interval on
   * @param giveUpAt when no data ends the Hotfix Rejected
   */
  record NoData(String check, Measurement measurement, Instant askAgainAt, Instant giveUpAt) {
  }

  /**
   * The result of one round.
   *
   * @param tallies every check's tally after this round, in spec order
   * @param failure the first check past a limit, if any
   * @param nextDue when the next check is due, empty without checks
   */
  record Round(List<CheckStatus> tallies, Optional<Verdict> failure, Optional<Instant> nextDue) {

    /** The status edit that stores the tallies. */
    Consumer<HotfixStatus> edit() {
      return s -> s.checks = tallies.isEmpty() ? s.checks : tallies;
    }

    /** A short account for the status message, e.g. {@code "; checks: error-rate 0.0012 (3 passed)"}. */
    String summary() {
      return tallies.isEmpty() ? "" : "; checks: " + tallies.stream().map(t -> t.name + " "
          + (t.lastValue == null || t.lastValue.isEmpty() ? "-" : t.lastValue) + " (" + t.passed + " passed)")
          .collect(Collectors.joining(", "));
    }

    /** The checks that have not passed once in this attempt (no data is not health). */
    List<String> notYetPassed() {
      return tallies.stream().filter(t -> t.passed == null || t.passed == 0).map(t -> t.name).toList();
    }
  }

  /** The tallies a new attempt starts from: every check listed, nothing counted. */
  static List<CheckStatus> freshTallies(EffectiveSpec spec) {
    return spec.checks().stream().map(c -> CheckTally.fresh(c.name)).toList();
  }

  /**
   * Asks Prometheus each query before the rollout, so that PromQL it refuses (HTTP 400, bad_data)
   * or a query without data for the revision running now (empty, NaN, Inf) rejects the Hotfix
   * with nothing changed: such a check could only count no data, and no data is not health. A
   * query without data is asked again each interval for as long as the check itself would
   * tolerate no data ({@code (noDataLimit + 1) * intervalSeconds} from the Hotfix's creation: a
   * Deployment created moments ago has no samples in its rate window yet), then refused. A
   * provider error (an unreachable Prometheus) is left for the checks themselves to count; after
   * one the remaining queries are not asked, so a down Prometheus costs one timeout here.
   */
  Preflight preflight(Observation o) {
    Optional<MetricSource> source = sources.forNamespace(o.hotfix().getMetadata().getNamespace());
    Map<String, Measurement> values = new LinkedHashMap<>();
    if (source.isEmpty()) {
      return Preflight.done(Optional.empty(), values);
    }
    for (CheckSpec check : o.spec().checks()) {
      if (check.prometheus == null) {
        continue; // a job or http check has nothing to ask before the revision under test is up
      }
      // {{canary}} and {{baseline}} asked as the current revision: valid PromQL over series that exist now
      String current = o.target().flatMap(DeploymentRevisions::current).map(DeploymentRevisions::hashOf).orElse("");
      Optional<MeasurementWorkers.Answer> answer = ask(o, "preflight:" + check.name,
          CanaryQuery.render(check.prometheus.query, current, current, CanaryQuery.labelFor(o.targetKind())),
          source.get());
      if (answer.isEmpty()) {
        return Preflight.WAITING;
      }
      MetricSourceException e = answer.get().error();
      if (e != null && e.isQueryRejected()) {
        return Preflight.done(Optional.of("check " + check.name + ": Prometheus refused the query ("
            + e.getMessage() + "): fix spec.verification.checks[].prometheus.query"), values);
      }
      if (e != null) {
        break;
      }
      Measurement now = new MetricCheck(check.name, check.prometheus.query, Threshold.parse(check.failWhen),
          answer.get().replay()).measureAt(o.now());
      if (now.result() == Measurement.Result.NO_DATA) {
        Instant giveUp = Instants.parse(o.hotfix().getMetadata().getCreationTimestamp(), o.now())
            .plus(o.spec().interval().multipliedBy(limits(check).noDataLimit() + 1L));
        if (o.now().isBefore(giveUp)) {
          Instant again = o.now().plus(o.spec().interval());
          return new Preflight(false, Optional.of(new NoData(check.name, now, again.isBefore(giveUp) ? again : giveUp,
              giveUp)), Optional.empty(), values);
        }
        return Preflight.done(Optional.of("check " + check.name + ": the query has no data for the revision "
            + "running now (" + now.message() + ", still at " + giveUp + ", noDataLimit + 1 intervals after the "
            + "Hotfix was created), so the check could only count no data: fix the query's metric or labels; if no "
            + "traffic is a legitimate state, make the query return a value for it (e.g. append `or vector(0)`), "
            + "or leave the check out"), values);
      }
      values.put(check.name, now);
    }
    return Preflight.done(Optional.empty(), values);
  }

  private Optional<MeasurementWorkers.Answer> ask(Observation o, String purpose, String query, MetricSource source) {
    Hotfix hotfix = o.hotfix();
    return workers.answer(new MeasurementWorkers.Request(hotfix.getMetadata().getUid() + "/"
        + hotfix.getMetadata().getGeneration(), purpose, query), source, () -> wake.accept(ResourceID.fromResource(
        hotfix)));
  }

  /** Measures the due checks of the Hotfix observed whose answers are in; submits the others. */
  Round run(Observation o) {
    List<CheckSpec> specs = o.spec().checks();
    if (specs.isEmpty()) {
      return new Round(List.of(), Optional.empty(), Optional.empty());
    }
    Map<String, CheckStatus> before = o.status().checks == null ? Map.of() : o.status().checks.stream()
        .filter(c -> c.name != null).collect(Collectors.toMap(c -> c.name, Function.identity(), (a, b) -> a));
    Optional<MetricSource> source = Optional.empty();
    List<CheckStatus> tallies = new ArrayList<>();
    Optional<Verdict> failure = Optional.empty();
    Optional<Instant> nextDue = Optional.empty();
    Optional<CanaryStatus> canary = analysedCanary(o);
    for (CheckSpec spec : specs) {
      CheckStatus tally = before.getOrDefault(spec.name, CheckTally.fresh(spec.name));
      if (spec.job != null || spec.http != null) {
        if (failure.isPresent()) {
          tallies.add(tally);
          continue;
        }
        JobChecks.Outcome job = spec.job != null ? jobs.run(o, spec, tally) : https.run(o, spec, tally);
        tallies.add(job.tally());
        failure = job.failure();
        nextDue = Instants.earliest(nextDue, job.nextDue());
        continue;
      }
      boolean comparative = CanaryQuery.isComparative(spec.prometheus.query);
      if (comparative && canary.isEmpty()) {
        // compares a canary with its baseline: measured only while a canary is analysed, kept as it was after
        tallies.add(tally);
        continue;
      }
      String query = comparative ? CanaryQuery.render(spec.prometheus.query, canary.get().podTemplateHash,
          canary.get().baselineHash, CanaryQuery.labelFor(o.targetKind())) : spec.prometheus.query;
      Instant due = tally.lastMeasuredAt == null ? o.now()
          : Instant.parse(tally.lastMeasuredAt).plus(o.spec().interval());
      if (failure.isEmpty() && !o.now().isBefore(due)) {
        if (source.isEmpty()) {
          String namespace = o.hotfix().getMetadata().getNamespace();
          // Configured when the Hotfix started (Pending checks), but the policy may have changed since.
          source = Optional.of(sources.forNamespace(namespace).orElse(q -> {
            throw new MetricSourceException("no Prometheus configured for namespace " + namespace, false);
          }));
        }
        Optional<MeasurementWorkers.Answer> answer = ask(o, spec.name, query, source.get());
        if (answer.isEmpty()) {
          // submitted or still running: its answer brings the Hotfix back, no need to come back for it
          tallies.add(tally);
          continue;
        }
        Threshold failWhen = Threshold.parse(spec.failWhen);
        Measurement m = new MetricCheck(spec.name, query, failWhen, answer.get().replay())
            .measureAt(o.now());
        metrics.measured(m);
        CheckTally.Outcome outcome = limits(spec).record(spec.name, tally, m, failWhen);
        tally = outcome.tally();
        due = o.now().plus(o.spec().interval());
        if (outcome.failure().isPresent()) {
          metrics.faultDetected(o.hotfix().getMetadata().getUid(), m.at());
          failure = Optional.of(Verdict.failed(RollbackCause.Check, outcome.failure().get()));
        }
      }
      tallies.add(tally);
      nextDue = Instants.earliest(nextDue, Optional.of(due));
    }
    return new Round(tallies, failure, nextDue);
  }

  /** The canary under analysis (all its pods ready, no verdict yet), whose hashes fill a comparative query. */
  private static Optional<CanaryStatus> analysedCanary(Observation o) {
    CanaryStatus c = o.status().canary;
    return c != null && c.verdict == null && c.analysisStartedAt != null && c.podTemplateHash != null
        && c.baselineHash != null ? Optional.of(c) : Optional.empty();
  }

  /** The check's limits, with the CRD's defaults restated (see {@link EffectiveSpec} for why). */
  static CheckTally limits(CheckSpec spec) {
    return new CheckTally(spec.failureLimit == null ? 0 : spec.failureLimit,
        spec.noDataLimit == null ? 3 : spec.noDataLimit, spec.errorLimit == null ? 4 : spec.errorLimit);
  }
}
