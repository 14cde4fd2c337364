package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.CheckSpec;
import dev.hotfix.api.v1alpha1.CheckStatus;
import dev.hotfix.api.v1alpha1.HotfixStatus;
import dev.hotfix.health.CheckTally;
import dev.hotfix.health.Measurement;
import dev.hotfix.health.MetricCheck;
import dev.hotfix.health.MetricSource;
import dev.hotfix.health.MetricSourceException;
import dev.hotfix.health.Threshold;
import dev.hotfix.health.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Runs a Hotfix's metric checks that are due: a check is measured when its
 * {@code lastMeasuredAt + intervalSeconds <= now} (the tally lives in {@code status.checks[]},
 * so restarts neither lose counts nor measure early), and the reconciler comes back at the next
 * due time. Each measurement goes through {@link CheckTally}; the first check past a limit
 * fails the round.
 */
final class MetricChecks {
  private final MetricSources sources;
  private final VerificationMetrics metrics;

  MetricChecks(MetricSources sources, VerificationMetrics metrics) {
    this.sources = sources;
    this.metrics = metrics;
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

  /** Measures the due checks of the Hotfix observed. */
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
    for (CheckSpec spec : specs) {
      CheckStatus tally = before.getOrDefault(spec.name, CheckTally.fresh(spec.name));
      Instant due = tally.lastMeasuredAt == null ? o.now()
          : Instant.parse(tally.lastMeasuredAt).plus(o.spec().interval());
      if (failure.isEmpty() && !o.now().isBefore(due)) {
        if (source.isEmpty()) {
          String namespace = o.hotfix().getMetadata().getNamespace();
          // Configured when the Hotfix started (Pending checks), but the policy may have changed since.
          source = Optional.of(sources.forNamespace(namespace).orElse(query -> {
            throw new MetricSourceException("no Prometheus configured for namespace " + namespace, false);
          }));
        }
        Threshold failWhen = Threshold.parse(spec.failWhen);
        Measurement m = new MetricCheck(spec.name, spec.prometheus.query, failWhen, source.get()).measureAt(o.now());
        metrics.measured(m);
        CheckTally.Outcome outcome = limits(spec).record(spec.name, tally, m, failWhen);
        tally = outcome.tally();
        due = o.now().plus(o.spec().interval());
        if (outcome.failure().isPresent()) {
          metrics.faultDetected(o.hotfix().getMetadata().getUid(), m.at());
          failure = Optional.of(Verdict.failed(CheckTally.CAUSE, outcome.failure().get()));
        }
      }
      tallies.add(tally);
      nextDue = Gates.earliest(nextDue, Optional.of(due));
    }
    return new Round(tallies, failure, nextDue);
  }

  /** The check's limits, with the CRD's defaults restated (see {@link EffectiveSpec} for why). */
  private static CheckTally limits(CheckSpec spec) {
    return new CheckTally(spec.failureLimit == null ? 0 : spec.failureLimit,
        spec.noDataLimit == null ? 3 : spec.noDataLimit, spec.errorLimit == null ? 4 : spec.errorLimit);
  }
}
