package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.CheckSpec;
import dev.hotfix.api.v1alpha1.FieldChange;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixPolicy;
import dev.hotfix.api.v1alpha1.HotfixStatus;
import dev.hotfix.api.v1alpha1.PatchRecord;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.PreflightResult;
import dev.hotfix.api.v1alpha1.RevisionRecord;
import dev.hotfix.health.CheckTally;
import dev.hotfix.health.Measurement;
import dev.hotfix.health.MetricSource;
import dev.hotfix.health.PodFaults;
import dev.hotfix.health.RevisionUnderTest;
import dev.hotfix.health.RolloutProgress;
import dev.hotfix.health.Threshold;
import dev.hotfix.health.prometheus.MetricAnalysis;
import dev.hotfix.health.prometheus.MetricSources;
import dev.hotfix.rollout.DeploymentDiff;
import dev.hotfix.rollout.DeploymentPatch;
import dev.hotfix.rollout.DeploymentRevisions;
import dev.hotfix.rollout.HotfixAnnotations;
import dev.hotfix.rollout.ImageIntent;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Pending: refuse what is unsafe (changing nothing), ask the namespace's policy (severity,
 * windows, approvals: a held Hotfix moves to Scheduled or AwaitingApproval), wait for another
 * Hotfix or the Deployment's own rollout while it may still succeed (a broken one is what a hot
 * fix is for), make sure the requester may patch the target themselves
 * ({@link RequesterAuthorization}), then record the revision about to be replaced, whether it
 * was already failing, and the last revision known good, and move on.
 */
final class PendingHandler implements PhaseHandler {
  /** The owner's own rollout is only waited for, never judged: our deadline does not apply to it. */
  private static final Duration OWNERS_ROLLOUT_HAS_NO_DEADLINE = Duration.ofDays(3650);
  /** How soon to look again at a target whose cached copy is behind the server's. */
  private static final Duration CACHE_BEHIND_RECHECK = Duration.ofSeconds(1);
  /** As many changed fields as status.patch.changes holds (its schema's maxItems). */
  private static final int MAX_CHANGES = 100;

  private final RolloutProgress rolloutProgress = new RolloutProgress();
  private final PodFaults podFaults = new PodFaults();
  private final MetricSources sources;
  private final VerificationChecks checks;
  private final GovernanceGate gate;
  private final RequesterAuthorization requesterAuthorization;
  private final PreflightChecks preflightChecks;
  private final Set<String> excludedNamespaces;

  /**
   * @param preflightChecks what the API server says about the first write, last before it
   * @param excludedNamespaces where Hotfixes are refused ({@code run --exclude-namespace})
   */
  PendingHandler(MetricSources sources, VerificationChecks checks, GovernanceGate gate,
      RequesterAuthorization requesterAuthorization, PreflightChecks preflightChecks, Set<String> excludedNamespaces) {
    this.sources = sources;
    this.checks = checks;
    this.gate = gate;
    this.requesterAuthorization = requesterAuthorization;
    this.preflightChecks = preflightChecks;
    this.excludedNamespaces = Set.copyOf(excludedNamespaces);
  }

  @Override
  public Step handle(Observation o) throws WriteConflict {
    String target = o.hotfix().getSpec().target.name;
    String namespace = o.hotfix().getMetadata().getNamespace();
    if (excludedNamespaces.contains(namespace)) {
      return Step.to(Phase.Rejected, "namespace " + namespace + " is excluded from hot fixes by the operator's "
          + "configuration (run --exclude-namespace; Helm value excludeNamespaces): change workloads here through "
          + "the cluster's own change process, or remove the namespace from the exclusion list");
    }
    if (o.target().isEmpty()) {
      return refuseForTarget(o, o.targetKind() + " " + target + " not found in namespace "
          + o.hotfix().getMetadata().getNamespace() + ": create it first or fix spec.target.name");
    }
    DeploymentRevisions revisions = o.target().get();
    List<String> problems = TargetValidation.problems(o.spec(), revisions.deployment());
    if (!problems.isEmpty()) {
      return refuseForTarget(o, String.join("; ", problems));
    }
    Optional<String> canaryProblem = CanaryPlan.problem(o.hotfix().getSpec(), o.spec().checks(),
        revisions.deployment());
    if (canaryProblem.isPresent()) {
      return refuseForTarget(o, canaryProblem.get());
    }
    Optional<String> checkProblem = checkProblem(o);
    if (checkProblem.isPresent()) {
      return Step.to(Phase.Rejected, checkProblem.get());
    }
    GovernanceGate.Ruling ruling = gate.rule(o);
    if (ruling.held().isPresent()) {
      return ruling.held().get();
    }
    Step started = startWhenClear(o, revisions, ruling).with(ruling.record());
    // a dry run ships nothing, so there is nothing to review after it
    return started.phase() == Phase.Previewed ? started.with(s -> s.reviewRequired = null) : started;
  }

  /**
   * A refusal for what the target is (or its absence), once the server confirms the cache is not
   * behind it; until then a wait: the watch's event brings the Hotfix back, the recheck is for a
   * lost one.
   */
  private Step refuseForTarget(Observation o, String message) {
    return preflightChecks.cacheBehindTarget(o)
        .map(waiting -> Step.stay(Phase.Pending, waiting, Optional.of(o.now().plus(CACHE_BEHIND_RECHECK))))
        .orElseGet(() -> Step.to(Phase.Rejected, message));
  }

  /** After the policy cleared the Hotfix: one at a time, a settled Deployment, something to change. */
  private Step startWhenClear(Observation o, DeploymentRevisions revisions, GovernanceGate.Ruling ruling)
      throws WriteConflict {
    String target = o.hotfix().getSpec().target.name;
    String clearance = ruling.clearance();
    Optional<Hotfix> ahead = WaitingLine.firstAhead(o, ruling.breakGlass());
    if (ahead.isPresent()) {
      return Step.stay(Phase.Pending, "waiting for Hotfix " + ahead.get().getMetadata().getName() + " ("
          + phaseOf(ahead.get()) + ") to finish on " + o.targetKind() + " " + target + ": one Hotfix at a time", Optional.empty());
    }
    Measurement settled = rolloutProgress.measure(RevisionUnderTest.rolloutOf(revisions.deployment(),
        revisions.workload(), o.now(), OWNERS_ROLLOUT_HAS_NO_DEADLINE, o.now()));
    Optional<String> failing = Optional.empty();
    if (settled.result() != Measurement.Result.PASS || revisions.current().isEmpty()) {
      failing = revisions.current().flatMap(rs -> baselineFault(o, settled, rs));
      if (failing.isEmpty()) {
        return Step.stay(Phase.Pending, "waiting for " + o.targetKind() + " " + target + "'s own rollout to finish ("
            + settled.message() + ") so a known-good revision can be recorded", baselineRecheck(o, revisions));
      }
    }
    if (ImageIntent.allOurs(o.spec().images(), o.targetImages())) {
      return refuseForTarget(o, o.targetKind() + " " + target + " already runs "
          + Revisions.describe(o.spec().images()) + ": nothing to change");
    }
    MetricAnalysis.Preflight preflight = checks.preflight(o);
    if (preflight.waiting()) {
      return Step.stay(Phase.Pending, "asking Prometheus whether it accepts the checks' queries", Optional.empty());
    }
    if (preflight.refusal().isPresent()) {
      return Step.to(Phase.Rejected, preflight.refusal().get());
    }
    if (preflight.noData().isPresent()) {
      MetricAnalysis.NoData none = preflight.noData().get();
      return Step.stay(Phase.Pending, "waiting for check " + none.check() + "'s query to have data ("
          + none.measurement().message() + "): a check without data can never pass; Rejected if it has none by "
          + none.giveUpAt(), Optional.of(none.askAgainAt()));
    }
    // last before the first write of this attempt: every new attempt passes here again
    Optional<Step> unauthorized = requesterAuthorization.refusal(o, ruling.requester());
    if (unauthorized.isPresent()) {
      return unauthorized.get();
    }
    var previous = Revisions.record(revisions, revisions.current().get());
    previous.failing = failing.orElse(null);
    Optional<RevisionRecord> lastKnownGood = failing.isEmpty() ? Optional.empty() : lastKnownGood(revisions);
    Instant now = o.now();
    Deployment d = revisions.deployment();
    DeploymentPatch patch = RolloutPatch.of(o, d, Observation.attemptOf(o.hotfix(), now.toString()), previous,
        lastKnownGood.orElse(null));
    PreflightChecks.Outcome flight = preflightChecks.run(o, patch,
        lastKnownGood.orElse(failing.isEmpty() ? previous : null));
    List<PreflightResult> results = new ArrayList<>(flight.results());
    preflight.values().forEach((check, m) -> results.add(new PreflightResult("check/" + check, true,
        "value now " + m.message())));
    Consumer<HotfixStatus> recorded = s -> s.preflight = results;
    if (flight.refusal().isPresent()) {
      return Step.to(Phase.Rejected, flight.refusal().get() + "; nothing was changed").with(recorded);
    }
    PatchRecord planned = planned(revisions.workload(), patch, flight.after().orElseThrow());
    String preflightPassed = "pre-flight passed (" + results.stream().map(r -> r.name)
        .collect(Collectors.joining(", ")) + ")";
    if (Boolean.TRUE.equals(o.hotfix().getSpec().dryRun)) {
      return Step.to(Phase.Previewed, "dry run: " + clearance + "; " + preflightPassed + "; would patch Deployment "
          + target + " (" + planned.changes.size() + " field(s), `kubectl hotfix diff " + o.name() + "`) to "
          + Revisions.describe(o.spec().images()) + checksNow(preflight) + "; nothing was changed: to ship it, "
          + "create the Hotfix again without spec.dryRun").with(recorded).with(s -> {
            s.patch = planned;
            s.checks = preflight.values().entrySet().stream().map(e -> CheckTally.current(e.getKey(), e.getValue()))
                .toList();
          });
    }
    return Step.to(Phase.RollingOut, clearance + "; recorded revision " + previous.revision + " ("
        + Revisions.describe(previous) + ")" + brokenBaseline(previous, lastKnownGood) + "; " + preflightPassed
        + "; rolling out " + Revisions.describe(o.spec().images()))
        .with(recorded)
        .with(s -> {
          s.patch = planned;
          s.previous = previous;
          s.lastKnownGood = lastKnownGood.orElse(null);
          s.applied = null;
          s.startedAt = now.toString();
          s.checks = o.spec().checks().isEmpty() ? null : VerificationChecks.freshTallies(o.spec());
          s.canary = null;
        });
  }

  /** The patch as status records it: the exact operations, and the fields they change as the dry run answered. */
  private static PatchRecord planned(HasMetadata before, DeploymentPatch patch, HasMetadata after) {
    PatchRecord planned = new PatchRecord();
    planned.jsonPatch = patch.toJson();
    planned.resourceVersion = before.getMetadata().getResourceVersion();
    List<FieldChange> changes = DeploymentDiff.between(before, after);
    planned.changes = changes.size() > MAX_CHANGES ? changes.subList(0, MAX_CHANGES) : changes;
    return planned;
  }

  /** e.g. {@code "; checks now: error-rate 0.5 > 0.05"}. */
  private static String checksNow(MetricAnalysis.Preflight preflight) {
    return preflight.values().isEmpty() ? "" : "; checks now: " + preflight.values().entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue().message()).collect(Collectors.joining(", "));
  }

  /**
   * Why the Deployment's current revision is already broken, empty while its rollout may still
   * succeed. A hot fix is shipped into exactly this state, so it is not waited out: a rollout
   * past its progress deadline, or pods of the current revision with a fault (crash loop, pull
   * error, not ready within the Hotfix's podReadyTimeoutSeconds, unschedulable, refused by quota).
   */
  private Optional<String> baselineFault(Observation o, Measurement settled, ReplicaSet current) {
    if (settled.result() == Measurement.Result.FAIL) {
      return Optional.of(settled.message());
    }
    Measurement pods = podFaults.measure(baseline(o, current));
    return pods.result() == Measurement.Result.FAIL ? Optional.of(pods.message()) : Optional.empty();
  }

  /** When a baseline still starting would turn into a fault (a pod's ready timeout, a pull grace). */
  private Optional<Instant> baselineRecheck(Observation o, DeploymentRevisions revisions) {
    return revisions.current().flatMap(rs -> podFaults.recheckAt(baseline(o, rs)));
  }

  private static RevisionUnderTest baseline(Observation o, ReplicaSet current) {
    String hash = DeploymentRevisions.hashOf(current);
    return new RevisionUnderTest(o.deployment().orElseThrow(), Optional.of(current), o.podsOf(hash), o.now(),
        OWNERS_ROLLOUT_HAS_NO_DEADLINE, o.spec().podReadyTimeout(), o.spec().maxRestarts(), o.now(),
        o.target().orElseThrow().workload());
  }

  /**
   * The revision to roll back to when the current one is broken: the one a Hotfix last saw
   * healthy ({@link HotfixAnnotations#LAST_GOOD}), or else the newest older ReplicaSet that still
   * has available pods (a stuck rollout leaves the last good revision serving).
   */
  private static Optional<RevisionRecord> lastKnownGood(DeploymentRevisions revisions) {
    String current = revisions.current().map(DeploymentRevisions::hashOf).orElse(null);
    Map<String, String> annotations = revisions.deployment().getMetadata().getAnnotations();
    Optional<ReplicaSet> recorded = Optional.ofNullable(annotations == null ? null
        : annotations.get(HotfixAnnotations.LAST_GOOD)).filter(h -> !h.equals(current)).flatMap(revisions::byHash);
    Optional<ReplicaSet> serving = revisions.replicaSets().stream()
        .filter(rs -> !DeploymentRevisions.hashOf(rs).equals(current))
        .filter(rs -> rs.getStatus() != null && rs.getStatus().getAvailableReplicas() != null
            && rs.getStatus().getAvailableReplicas() > 0)
        .max(Comparator.comparingLong(DeploymentRevisions::revisionOf));
    return recorded.or(() -> serving).map(rs -> {
      RevisionRecord r = Revisions.record(revisions, rs);
      r.strategy = null;
      return r;
    });
  }

  private static String brokenBaseline(RevisionRecord previous, Optional<RevisionRecord> lastKnownGood) {
    if (previous.failing == null) {
      return "";
    }
    return ", already failing (" + previous.failing + "); " + lastKnownGood
        .map(g -> "a rollback would restore the last known good revision " + g.revision + " (" + Revisions.describe(g)
            + ")")
        .orElse("no revision is known good, so a failure ends Failed without rolling back");
  }

  /**
   * What makes the checks unusable before anything changed: a threshold the operator cannot
   * read, no Prometheus configured for the namespace at all, or one configured wrongly (a refused
   * URL, a missing Secret, a header value with a line break); a job check's PodTemplate missing
   * or unfit for a Job; an http check's Service missing, not the target's, or without its port.
   */
  private Optional<String> checkProblem(Observation o) {
    List<CheckSpec> metricChecks = o.spec().checks().stream().filter(c -> c.prometheus != null).toList();
    for (CheckSpec check : metricChecks) {
      try {
        Threshold.parse(check.failWhen);
      } catch (IllegalArgumentException e) {
        return Optional.of("check " + check.name + ": " + e.getMessage());
      }
    }
    Optional<String> jobProblem = checks.problem(o);
    if (jobProblem.isPresent() || metricChecks.isEmpty()) {
      return jobProblem;
    }
    String namespace = o.hotfix().getMetadata().getNamespace();
    Optional<MetricSource> source = sources.forNamespace(namespace);
    if (source.isPresent() && source.get().misconfiguration().isPresent()) {
      return Optional.of("spec.verification.checks cannot be measured: " + source.get().misconfiguration().get());
    }
    if (source.isEmpty()) {
      return Optional.of("spec.verification.checks need a Prometheus and none is configured for namespace "
          + namespace + ": start the operator with --prometheus-url, or set spec.prometheus.url in the HotfixPolicy "
          + "named " + HotfixPolicy.DEFAULT_NAME + " in " + namespace);
    }
    return Optional.empty();
  }

  static Phase phaseOf(Hotfix h) {
    return h.getStatus() == null || h.getStatus().phase == null ? Phase.Pending : h.getStatus().phase;
  }
}
