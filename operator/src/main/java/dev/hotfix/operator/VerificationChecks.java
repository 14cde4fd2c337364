package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.CanaryStatus;
import dev.hotfix.api.v1alpha1.CheckSpec;
import dev.hotfix.api.v1alpha1.CheckStatus;
import dev.hotfix.api.v1alpha1.HotfixStatus;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.health.CheckContext;
import dev.hotfix.health.CheckOutcome;
import dev.hotfix.health.CheckTally;
import dev.hotfix.health.Instants;
import dev.hotfix.health.Verdict;
import dev.hotfix.health.http.HttpChecks;
import dev.hotfix.health.job.JobChecks;
import dev.hotfix.health.prometheus.MetricAnalysis;
import dev.hotfix.rollout.DeploymentRevisions;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Runs a Hotfix's checks that are due, each by its kind's runner ({@link MetricAnalysis},
 * {@link JobChecks}, {@link HttpChecks}), and comes back at the next due time. The first check
 * past a limit fails the round; the checks after it keep their tallies. The runners read a
 * {@link CheckContext} made here from the observation, so they know nothing of the loop.
 */
final class VerificationChecks {
  private final MetricAnalysis metrics;
  private final JobChecks jobs;
  private final HttpChecks https;
  private final Consumer<ResourceID> wake;

  /** @param wake re-triggers a Hotfix's reconcile when an answer it waits for is in */
  VerificationChecks(MetricAnalysis metrics, JobChecks jobs, HttpChecks https, Consumer<ResourceID> wake) {
    this.metrics = metrics;
    this.jobs = jobs;
    this.https = https;
    this.wake = wake;
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

  /** Before the rollout: the metric checks' queries asked now ({@link MetricAnalysis#preflight}). */
  MetricAnalysis.Preflight preflight(Observation o) {
    return metrics.preflight(context(o));
  }

  /** What makes the job or http checks unusable before anything changed, if anything. */
  Optional<String> problem(Observation o) {
    CheckContext c = context(o);
    return jobs.problem(c).or(() -> https.problem(c));
  }

  /** Measures the due checks of the Hotfix observed whose answers are in; submits the others. */
  Round run(Observation o) {
    List<CheckSpec> specs = o.spec().checks();
    if (specs.isEmpty()) {
      return new Round(List.of(), Optional.empty(), Optional.empty());
    }
    CheckContext c = context(o);
    Map<String, CheckStatus> before = o.status().checks == null ? Map.of() : o.status().checks.stream()
        .filter(t -> t.name != null).collect(Collectors.toMap(t -> t.name, Function.identity(), (a, b) -> a));
    MetricAnalysis.Source source = metrics.source(c.namespace());
    List<CheckStatus> tallies = new ArrayList<>();
    Optional<Verdict> failure = Optional.empty();
    Optional<Instant> nextDue = Optional.empty();
    for (CheckSpec spec : specs) {
      CheckStatus tally = before.getOrDefault(spec.name, CheckTally.fresh(spec.name));
      if (failure.isPresent()) {
        tallies.add(tally);
        continue;
      }
      CheckOutcome outcome = spec.job != null ? jobs.run(c, spec, tally)
          : spec.http != null ? https.run(c, spec, tally)
          : metrics.run(c, spec, tally, source);
      tallies.add(outcome.tally());
      failure = outcome.failure();
      nextDue = Instants.earliest(nextDue, outcome.nextDue());
    }
    return new Round(tallies, failure, nextDue);
  }

  /** What the check runners may read of the observation. */
  private CheckContext context(Observation o) {
    return new CheckContext(o.hotfix(), o.spec().checks(), o.spec().interval(), o.now(), o.attempt(), o.targetKind(),
        o.target().flatMap(DeploymentRevisions::current).map(DeploymentRevisions::hashOf), revisionUnderTest(o),
        analysedCanary(o), o.deployment().map(d -> d.getSpec().getTemplate().getMetadata().getLabels())
            .orElse(Map.of()), () -> wake.accept(ResourceID.fromResource(o.hotfix())));
  }

  /** The canary under analysis (all its pods ready, no verdict yet), whose hashes fill a comparative query. */
  private static Optional<CanaryStatus> analysedCanary(Observation o) {
    CanaryStatus c = o.status().canary;
    return c != null && c.verdict == null && c.analysisStartedAt != null && c.podTemplateHash != null
        && c.baselineHash != null ? Optional.of(c) : Optional.empty();
  }

  /**
   * The pod-template-hash of the revision job and http checks run against once it is up: the
   * canary while it is analysed, else the new revision once rolled out (Verifying); empty before.
   */
  private static Optional<String> revisionUnderTest(Observation o) {
    CanaryStatus c = o.status().canary;
    if (c != null && c.verdict == null && c.analysisStartedAt != null && c.podTemplateHash != null) {
      return Optional.of(c.podTemplateHash);
    }
    if (o.phase() == Phase.Verifying && o.status().applied != null) {
      return Optional.ofNullable(o.status().applied.podTemplateHash);
    }
    return Optional.empty();
  }
}
