package dev.hotfix.health.prometheus;

import dev.hotfix.api.v1alpha1.CanaryStatus;
import dev.hotfix.api.v1alpha1.CheckSpec;
import dev.hotfix.api.v1alpha1.CheckStatus;
import dev.hotfix.health.CheckContext;
import dev.hotfix.health.CheckOutcome;
import dev.hotfix.health.CheckTally;
import dev.hotfix.health.Instants;
import dev.hotfix.health.Measurement;
import dev.hotfix.health.MeasurementWorkers;
import dev.hotfix.health.MetricSource;
import dev.hotfix.health.MetricSourceException;
import dev.hotfix.health.Threshold;
import dev.hotfix.health.VerificationMetrics;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Measures Prometheus checks: a check is measured when its {@code lastMeasuredAt +
 * intervalSeconds <= now} (the tally lives in {@code status.checks[]}, so restarts neither lose
 * counts nor measure early). The queries run on {@link MeasurementWorkers}, never on the
 * reconcile thread: a due check whose answer is not in yet is left as it is, and the answer's
 * arrival brings the Hotfix back. Each measurement goes through {@link CheckTally}. A query
 * comparing a canary with its baseline ({@link CanaryQuery}) is measured only while a canary is
 * analysed.
 */
public final class MetricAnalysis {
  private final MetricSources sources;
  private final VerificationMetrics metrics;
  private final MeasurementWorkers workers;

  /** @param workers where the queries run */
  public MetricAnalysis(MetricSources sources, VerificationMetrics metrics, MeasurementWorkers workers) {
    this.sources = sources;
    this.metrics = metrics;
    this.workers = workers;
  }

  /**
   * Before the rollout: whether Prometheus refuses a check's query (bad PromQL) or has no data for
   * it now, asked once per check on the workers.
   *
   * @param waiting an answer is not in yet (the Hotfix is woken when it is)
   * @param noData a check's query has no data yet, and when to ask again (within its grace)
   * @param refusal what to fix, when Prometheus refused a query or it had no data past its grace
   * @param values each check's measurement now (its threshold judged on the revision running now), by name, in
   *     spec order (the checks asked before a provider error stopped the asking)
   */
  public record Preflight(boolean waiting, Optional<NoData> noData, Optional<String> refusal,
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
  public record NoData(String check, Measurement measurement, Instant askAgainAt, Instant giveUpAt) {
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
  public Preflight preflight(CheckContext c) {
    Optional<MetricSource> source = sources.forNamespace(c.namespace());
    Map<String, Measurement> values = new LinkedHashMap<>();
    if (source.isEmpty()) {
      return Preflight.done(Optional.empty(), values);
    }
    for (CheckSpec check : c.checks()) {
      if (check.prometheus == null) {
        continue; // a job or http check has nothing to ask before the revision under test is up
      }
      // {{canary}} and {{baseline}} asked as the running revision: valid PromQL over series that exist now
      String running = c.runningRevision().orElse("");
      Optional<MeasurementWorkers.Answer> answer = workers.answer(c.request("preflight:" + check.name,
          CanaryQuery.render(check.prometheus.query, running, running, CanaryQuery.labelFor(c.targetKind()))),
          source.get(), c.wake());
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
          answer.get().replay()).measureAt(c.now());
      if (now.result() == Measurement.Result.NO_DATA) {
        Instant giveUp = Instants.parse(c.hotfix().getMetadata().getCreationTimestamp(), c.now())
            .plus(c.interval().multipliedBy(CheckTally.limits(check).noDataLimit() + 1L));
        if (c.now().isBefore(giveUp)) {
          Instant again = c.now().plus(c.interval());
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

  /**
   * One round of one Prometheus check: measured when due and its answer is in (else submitted).
   *
   * @param sourceOf the namespace's source, resolved once per round by the caller and only when a check is due
   */
  public CheckOutcome run(CheckContext c, CheckSpec spec, CheckStatus tally, Source sourceOf) {
    boolean comparative = CanaryQuery.isComparative(spec.prometheus.query);
    Optional<CanaryStatus> canary = c.analysedCanary();
    if (comparative && canary.isEmpty()) {
      // compares a canary with its baseline: measured only while a canary is analysed, kept as it was after
      return CheckOutcome.unchanged(tally);
    }
    String query = comparative ? CanaryQuery.render(spec.prometheus.query, canary.get().podTemplateHash,
        canary.get().baselineHash, CanaryQuery.labelFor(c.targetKind())) : spec.prometheus.query;
    Instant due = c.dueAfter(tally.lastMeasuredAt);
    if (c.now().isBefore(due)) {
      return new CheckOutcome(tally, Optional.empty(), Optional.of(due));
    }
    Optional<MeasurementWorkers.Answer> answer = workers.answer(c.request(spec.name, query), sourceOf.get(), c.wake());
    if (answer.isEmpty()) {
      // submitted or still running: its answer brings the Hotfix back, no need to come back for it
      return CheckOutcome.unchanged(tally);
    }
    Threshold failWhen = Threshold.parse(spec.failWhen);
    Measurement m = new MetricCheck(spec.name, query, failWhen, answer.get().replay()).measureAt(c.now());
    CheckOutcome counted = CheckOutcome.counted(metrics, c, spec, tally, m, failWhen);
    return new CheckOutcome(counted.tally(), counted.failure(), Optional.of(c.now().plus(c.interval())));
  }

  /**
   * The source a round's due checks query, looked up once per round: configured when the Hotfix
   * started (pre-flight), but the policy may have changed since, so a namespace left without one
   * is a source whose every query fails (provider errors, counted toward errorLimit).
   */
  public Source source(String namespace) {
    return new Source(namespace);
  }

  /** The namespace's source, resolved on first use within one round. */
  public final class Source {
    private final String namespace;
    private MetricSource resolved;

    private Source(String namespace) {
      this.namespace = namespace;
    }

    MetricSource get() {
      if (resolved == null) {
        resolved = sources.forNamespace(namespace).orElse(q -> {
          throw new MetricSourceException("no Prometheus configured for namespace " + namespace, false);
        });
      }
      return resolved;
    }
  }
}
