package dev.hotfix.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotfix.api.v1alpha1.CheckSpec;
import dev.hotfix.api.v1alpha1.CheckStatus;
import dev.hotfix.api.v1alpha1.ContainerImage;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixSpec;
import dev.hotfix.api.v1alpha1.HotfixStatus;
import dev.hotfix.api.v1alpha1.ImageRecord;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.PrometheusCheck;
import dev.hotfix.api.v1alpha1.ReleaseRecord;
import dev.hotfix.api.v1alpha1.RevisionRecord;
import dev.hotfix.api.v1alpha1.RollbackCause;
import dev.hotfix.api.v1alpha1.Severity;
import dev.hotfix.api.v1alpha1.TargetRef;
import dev.hotfix.api.v1alpha1.VerificationSpec;
import dev.hotfix.health.CheckTally;
import dev.hotfix.health.ClusterHealth;
import dev.hotfix.health.MeasurementWorkers;
import dev.hotfix.health.MetricSource;
import dev.hotfix.health.Verdict;
import dev.hotfix.health.VerificationMetrics;
import dev.hotfix.health.http.HttpChecks;
import dev.hotfix.health.job.InMemorySmokeTestJobs;
import dev.hotfix.health.job.JobChecks;
import dev.hotfix.health.prometheus.MetricAnalysis;
import dev.hotfix.health.prometheus.MetricSources;
import dev.hotfix.notify.EventRecorder;
import dev.hotfix.outbound.EndpointAllowList;
import dev.hotfix.outbound.OutboundHttp;
import dev.hotfix.outbound.ServiceAddresses;
import dev.hotfix.outbound.ServiceHttp;
import dev.hotfix.policy.IdentityProofs;
import dev.hotfix.report.IncidentReport;
import dev.hotfix.rollout.DeploymentRevisions;
import dev.hotfix.rollout.HotfixAnnotations;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The handlers' decisions on hand-made observations: no cluster, no clock, no network. */
class PhaseHandlersTest {
  private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
  private final List<String> patches = new ArrayList<>();
  /** The cluster pre-flight asks: it has the ReplicaSet of {@link #observe}'s current revision. */
  private final ClusterStub cluster = new ClusterStub();

  {
    cluster.replicaSets.put("web-abc", replicaSetOf(deployment("web:1", null), "abc"));
  }
  private final DeploymentWriter writer = (base, patch) -> {
    patches.add(patch.toJson());
    return base;
  };
  private final VerificationMetrics metrics = new VerificationMetrics(new SimpleMeterRegistry(), Clock.systemUTC());
  /** Without any Prometheus configured; requesters unverified and trusted (no webhook). */
  private final GovernanceGate governance = new GovernanceGate(FixedGovernanceInputs.NONE, (approval, status) -> { },
      IdentityProofs.NONE);
  private final PendingHandler pending = new PendingHandler(ns -> Optional.empty(), checksWith(ns -> Optional.empty()),
      governance, new RequesterAuthorization((who, verb, group, resource, namespace, name) -> {
        throw new AssertionError("no access review for a trusted unverified requester");
      }, true), new PreflightChecks(cluster), Set.of());
  private final ClusterHealth health = new ClusterHealth();
  private final VerificationChecks checks = checksWith(ns -> Optional.empty());
  private final RollbackDecision rollback = new RollbackDecision(metrics);

  /** Seen failing (RollingOut) without the exclusion check in PendingHandler. */
  @Test
  void aHotfixInAnExcludedNamespaceIsRejectedNamingTheSetting() throws WriteConflict {
    Hotfix h = hotfix("web:2");
    PendingHandler excluding = new PendingHandler(ns -> Optional.empty(), checksWith(ns -> Optional.empty()),
        governance, new RequesterAuthorization((who, verb, group, resource, namespace, name) -> {
          throw new AssertionError("no access review in an excluded namespace");
        }, true), new PreflightChecks(cluster), Set.of(h.getMetadata().getNamespace()));

    Step step = excluding.handle(observe(h, deployment("web:1", null), List.of()));

    assertThat(step.phase()).isEqualTo(Phase.Rejected);
    assertThat(step.message()).contains("namespace " + h.getMetadata().getNamespace() + " is excluded",
        "--exclude-namespace", "excludeNamespaces");
    assertThat(patches).isEmpty();
  }

  /**
   * A Deployment applied with its Hotfix reaches the operator on its own watch, which may deliver
   * it after the Hotfix: the server is asked before refusing. Seen failing (Rejected, "not found")
   * with PendingHandler trusting the cache alone.
   */
  @Test
  void aTargetTheCacheHasNotDeliveredYetIsWaitedForNotRefused() throws WriteConflict {
    Hotfix h = hotfix("web:2");
    Observation cacheWithoutTarget = new Observation(h, EffectiveSpec.of(h.getSpec()), Optional.empty(), List.of(),
        List.of(), NOW);
    cluster.targets.put("Deployment/web", 1L);

    assertWaitsForTheWatch(pending.handle(cacheWithoutTarget), "waiting for the operator's watch of Deployment web to "
        + "deliver it (the API server has it, created just before this Hotfix)");

    cluster.targets.clear();
    Step missing = pending.handle(cacheWithoutTarget);

    assertThat(missing.phase()).isEqualTo(Phase.Rejected);
    assertThat(missing.message()).isEqualTo("Deployment web not found in namespace shop: create it first or fix "
        + "spec.target.name");
    assertThat(patches).isEmpty();
  }

  /**
   * A refusal for what the cached target shows (paused here) waits while the server has a newer
   * spec: the owner may have resumed it in the same apply as the Hotfix. Seen failing (Rejected,
   * "paused") with the generation check off.
   */
  @Test
  void aRefusalForAStaleCachedSpecWaitsForTheWatch() throws WriteConflict {
    Deployment paused = deployment("web:1", null);
    paused.getSpec().setPaused(true);
    Observation stale = observe(hotfix("web:2"), paused, List.of());
    cluster.targets.put("Deployment/web", 2L);

    assertWaitsForTheWatch(pending.handle(stale), "waiting for the operator's watch of Deployment web to deliver its "
        + "latest spec (generation 2 on the API server, 1 seen) before judging it");

    cluster.targets.put("Deployment/web", 1L);
    Step current = pending.handle(stale);

    assertThat(current.phase()).isEqualTo(Phase.Rejected);
    assertThat(current.message()).contains("paused");
    assertThat(patches).isEmpty();
  }

  @Test
  void pendingRecordsTheCurrentRevisionAndWritesNothingToTheDeployment() throws WriteConflict {
    Step step = pending.handle(observe(hotfix("web:2"), deployment("web:1", null), List.of()));

    assertThat(step.phase()).isEqualTo(Phase.RollingOut);
    HotfixStatus s = new HotfixStatus();
    step.edit().accept(s);
    assertThat(s.previous.revision).isEqualTo(1);
    assertThat(s.previous.podTemplateHash).isEqualTo("abc");
    assertThat(s.previous.images).singleElement().satisfies(i -> assertThat(i.image).isEqualTo("web:1"));
    assertThat(s.previous.strategy.maxUnavailable.getStrVal()).isEqualTo("25%");
    assertThat(patches).isEmpty();
  }

  @Test
  void pendingHoldsAMajorHotfixForApprovalBeforeRecordingAnything() throws WriteConflict {
    Hotfix major = hotfix("web:2");
    major.getSpec().severity = Severity.Major;

    Step step = pending.handle(observe(major, deployment("web:1", null), List.of()));

    assertThat(step.phase()).isEqualTo(Phase.AwaitingApproval);
    HotfixStatus s = new HotfixStatus();
    step.edit().accept(s);
    assertThat(s.previous).as("nothing recorded before the approval").isNull();
    assertThat(patches).isEmpty();
  }

  @Test
  void pendingWaitsBehindAnOlderHotfixOnTheSameDeployment() throws WriteConflict {
    Hotfix older = hotfix("web:3");
    older.getMetadata().setName("older");
    older.getMetadata().setCreationTimestamp("2026-11-21T09:00:00Z");

    Step step = pending.handle(observe(hotfix("web:2"), deployment("web:1", null), List.of(older)));

    assertThat(step.phase()).isEqualTo(Phase.Pending);
    assertThat(step.message()).contains("waiting for Hotfix older");
  }

  @Test
  void pendingRejectsAnImageTheDeploymentAlreadyRuns() throws WriteConflict {
    Step step = pending.handle(observe(hotfix("web:1"), deployment("web:1", null), List.of()));

    assertThat(step.phase()).isEqualTo(Phase.Rejected);
    assertThat(step.message()).contains("already runs app=web:1: nothing to change");
  }

  @Test
  void rollingOutPatchesOnceWhileTheTemplateIsStillTheRecordedOne() throws WriteConflict {
    Hotfix h = recorded(hotfix("web:2"));

    Step step = new RollingOutHandler(writer, health, checks, rollback, governance,
        new CanaryStage(null, checks, rollback)).handle(observe(h, deployment("web:1", null), List.of()));

    assertThat(step.phase()).isEqualTo(Phase.RollingOut);
    assertThat(step.notable()).isTrue();
    assertThat(patches).singleElement().asString()
        .contains("\"path\":\"/metadata/resourceVersion\",\"value\":\"5\"", "hotfix.dev~1active", "\"web:2\"");
  }

  @Test
  void rollingOutStepsAsideWhenSomeoneChangedTheImageBeforeThePatch() throws WriteConflict {
    Hotfix h = recorded(hotfix("web:2"));

    Step step = new RollingOutHandler(writer, health, checks, rollback, governance,
        new CanaryStage(null, checks, rollback)).handle(observe(h, deployment("web:9-by-hand", null), List.of()));

    assertThat(step.phase()).isEqualTo(Phase.Superseded);
    assertThat(patches).isEmpty();
  }

  @Test
  void rollingOutStepsAsideWhenSomeoneChangedTheImageAfterThePatch() throws WriteConflict {
    Hotfix h = recorded(hotfix("web:2"));
    h.getStatus().applied = new RevisionRecord();
    h.getStatus().applied.images = List.of(new ImageRecord("app", "web:2"));

    Step step = new RollingOutHandler(writer, health, checks, rollback, governance,
        new CanaryStage(null, checks, rollback)).handle(observe(h, deployment("web:9-by-hand", h), List.of()));

    assertThat(step.phase()).isEqualTo(Phase.Superseded);
    assertThat(step.message()).contains("container app now runs web:9-by-hand, expected web:2");
    assertThat(patches).isEmpty();
  }

  @Test
  void abortRollsBackOnRequest() throws WriteConflict {
    Hotfix h = recorded(hotfix("web:2"));
    h.getSpec().abort = true;

    Step step = new RollingOutHandler(writer, health, checks, rollback, governance,
        new CanaryStage(null, checks, rollback)).handle(observe(h, deployment("web:2", h), List.of()));

    assertThat(step.phase()).isEqualTo(Phase.RollingBack);
    HotfixStatus s = new HotfixStatus();
    step.edit().accept(s);
    assertThat(s.rollbackReason).startsWith("manual:");
  }

  /** A Deployment stuck past its own deadline is what a hot fix is for: recorded as failing, not waited for. */
  @Test
  void pendingProceedsOnADeploymentPastItsProgressDeadline() throws WriteConflict {
    Deployment stuck = deployment("web:1", null);
    stuck.getStatus().setUpdatedReplicas(1);
    stuck.getStatus().setConditions(List.of(new DeploymentConditionBuilder().withType("Progressing")
        .withStatus("False").withReason("ProgressDeadlineExceeded")
        .withMessage("ReplicaSet \"web-abc\" has timed out progressing.").build()));

    Step step = pending.handle(observe(hotfix("web:2"), stuck, List.of()));

    assertThat(step.phase()).isEqualTo(Phase.RollingOut);
    HotfixStatus s = new HotfixStatus();
    step.edit().accept(s);
    assertThat(s.previous.failing).contains("exceeded its progress deadline");
    assertThat(s.lastKnownGood).as("no other revision exists").isNull();
    assertThat(step.message()).contains("already failing", "no revision is known good");
  }

  @Test
  void pendingWaitsForTheOwnersRolloutWhileItMayStillSucceed() throws WriteConflict {
    Deployment rolling = deployment("web:1", null);
    rolling.getStatus().setUpdatedReplicas(1);

    Step step = pending.handle(observe(hotfix("web:2"), rolling, List.of()));

    assertThat(step.phase()).isEqualTo(Phase.Pending);
    assertThat(step.message()).contains("waiting for Deployment web's own rollout to finish");
  }

  @Test
  void aFailureWithNoRevisionKnownGoodStopsFailedAndDoesNotRestoreTheBrokenTemplate() throws WriteConflict {
    Hotfix h = recorded(hotfix("web:2"));
    h.getStatus().previous.failing = "pod web-abc-1 container app: CrashLoopBackOff";

    Step step = rollback.failure(observe(h, deployment("web:2", h), List.of()),
        Verdict.failed(RollbackCause.PodFault, "pod web-def-1 not ready after 10s"));

    assertThat(step.phase()).isEqualTo(Phase.Failed);
    assertThat(step.message()).contains("NOT rolled back", "already broken before this Hotfix (pod web-abc-1",
        "is left on app=web:2");
    assertThat(patches).as("deciding writes nothing: the release follows the stored Failed").isEmpty();
    HotfixStatus s = new HotfixStatus();
    step.edit().accept(s);
    assertThat(s.release).as("the Deployment goes back to its owner").isNotNull();
    assertThat(s.release.lastGoodHash).as("web:2 was not seen healthy").isNull();
  }

  @Test
  void theFinisherReleasesWhatTheStoredTerminalPhaseRecordedOnceAndWritesTheReportOnce() throws WriteConflict {
    Hotfix h = recorded(hotfix("web:2"));
    h.getStatus().phase = Phase.Succeeded;
    h.getStatus().message = "verified";
    h.getStatus().release = new ReleaseRecord("abc");
    Deployment held = deployment("web:2", h);
    List<String> reports = new ArrayList<>();
    Finisher finisher = finisher((hotfix, markdown) -> {
      reports.add(markdown);
      return "fix-report";
    });

    Step step = finisher.handle(observe(h, held, List.of()));

    assertThat(step.phase()).isEqualTo(Phase.Succeeded);
    assertThat(patches).singleElement().asString().as("lock removed, the healthy revision recorded as last good")
        .contains("hotfix.dev~1active", "hotfix.dev~1last-good").doesNotContain("/spec/template");
    assertThat(reports).singleElement().asString().contains("**Outcome: Succeeded**");
    step.edit().accept(h.getStatus());
    assertThat(h.getStatus().report).isEqualTo("fix-report");
    assertThat(h.getStatus().reportDigest).isEqualTo(IncidentReport.digest(reports.get(0)));

    // the next pass: the Deployment no longer names this attempt, the report says what status says
    finisher.handle(observe(h, deployment("web:2", null), List.of()));
    assertThat(patches).hasSize(1);
    assertThat(reports).hasSize(1);
  }

  @Test
  void theFinisherLeavesTheDeploymentAloneWhenTheTerminalPhaseRecordedNoRelease() throws WriteConflict {
    Hotfix h = recorded(hotfix("web:2"));
    h.getStatus().phase = Phase.Failed;
    h.getStatus().message = "ROLLBACK FAILED: needs a human now";
    finisher().handle(observe(h, deployment("web:1", h), List.of()));

    assertThat(patches).as("the lock stays for the human").isEmpty();
  }

  @Test
  void aTerminalHotfixStaysPutEvenWhenAbortIsSetAfterwards() throws WriteConflict {
    Hotfix h = recorded(hotfix("web:2"));
    h.getStatus().phase = Phase.RolledBack;
    h.getStatus().observedGeneration = 1L;
    h.getStatus().message = "rolled back to revision 1";
    Observation o = observe(h, deployment("web:1", null), List.of());

    assertThat(finisher().handle(o).phase()).isEqualTo(Phase.RolledBack);

    // the only spec change the CRD admits; a finished Hotfix has nothing left to abort
    h.getSpec().abort = true;
    h.getMetadata().setGeneration(2L);
    Step after = finisher().handle(observe(h, deployment("web:1", null), List.of()));
    assertThat(after.phase()).isEqualTo(Phase.RolledBack);
    assertThat(after.message()).isEqualTo("rolled back to revision 1");
  }

  @Test
  void pendingRejectsMetricChecksWhenNoPrometheusIsConfigured() throws WriteConflict {
    Hotfix h = withCheck(hotfix("web:2"));

    Step step = pending.handle(observe(h, deployment("web:1", null), List.of()));

    assertThat(step.phase()).isEqualTo(Phase.Rejected);
    assertThat(step.message()).contains("need a Prometheus and none is configured for namespace shop",
        "--prometheus-url", "HotfixPolicy named default in shop");
  }

  @Test
  void verifyingDoesNotSucceedAfterTheBakeWithoutAPassingMeasurement() throws WriteConflict {
    Hotfix h = verifying(withCheck(hotfix("web:2")), NOW.minusSeconds(60));
    List<String> asked = new ArrayList<>();
    MetricSource noData = query -> {
      asked.add(query);
      return OptionalDouble.empty();
    };

    Step step = verifying(noData).handle(observe(h, deployment("web:2", h), List.of()));

    assertThat(step.phase()).isEqualTo(Phase.Verifying);
    assertThat(step.message()).contains("bake over", "waiting for a passing measurement of check error-rate");
    assertThat(step.recheckAt()).contains(NOW.plusSeconds(15));
    HotfixStatus s = h.getStatus();
    step.edit().accept(s);
    assertThat(s.checks).singleElement().satisfies(c -> {
      assertThat(c.noData).isEqualTo(1);
      assertThat(c.passed).isZero();
    });
    assertThat(asked).containsExactly("up");
  }

  @Test
  void aCheckIsMeasuredOnlyWhenDueAndCountsOnFromTheTallyInStatus() throws WriteConflict {
    Hotfix h = verifying(withCheck(hotfix("web:2")), NOW.minusSeconds(5));
    CheckStatus stored = CheckTally.fresh("error-rate");
    stored.passed = 7;
    stored.lastMeasuredAt = NOW.minusSeconds(10).toString();
    h.getStatus().checks = List.of(stored);
    List<String> asked = new ArrayList<>();
    MetricSource good = query -> {
      asked.add(query);
      return OptionalDouble.of(0.01);
    };

    Step early = verifying(good).handle(observe(h, deployment("web:2", h), List.of()));
    assertThat(asked).as("measured 10s ago, interval 15s").isEmpty();
    assertThat(early.recheckAt()).contains(NOW.plusSeconds(5));

    stored.lastMeasuredAt = NOW.minusSeconds(15).toString();
    Step due = verifying(good).handle(observe(h, deployment("web:2", h), List.of()));
    HotfixStatus s = new HotfixStatus();
    due.edit().accept(s);
    assertThat(asked).containsExactly("up");
    assertThat(due.message()).contains("checks: error-rate 0.01 (8 passed)");
    assertThat(s.checks).singleElement().satisfies(c -> {
      assertThat(c.passed).isEqualTo(8);
      assertThat(c.lastMeasuredAt).isEqualTo(NOW.toString());
    });
  }


  // ---- pre-flight and dry run (each seen failing with its check in PreflightChecks or MetricAnalysis removed) ----

  @Test
  void aDryRunEndsPreviewedWithThePatchAndTheChecksValuesAndWritesNothing() throws WriteConflict {
    Hotfix h = withCheck(hotfix("web:2"));
    h.getSpec().dryRun = true;

    Step step = pendingWith(query -> OptionalDouble.of(0.25)).handle(observe(h, deployment("web:1", null), List.of()));

    assertThat(step.phase()).isEqualTo(Phase.Previewed);
    assertThat(step.message()).contains("dry run", "nothing was changed", "error-rate 0.25 > 0.05");
    HotfixStatus s = new HotfixStatus();
    step.edit().accept(s);
    assertThat(s.patch.jsonPatch).isEqualTo(cluster.dryRuns.get(0));
    assertThat(s.patch.changes).anySatisfy(c -> {
      assertThat(c.path).isEqualTo("spec.template.spec.containers[app].image");
      assertThat(c.before).isEqualTo("web:1");
      assertThat(c.after).isEqualTo("web:2");
    });
    assertThat(s.checks).singleElement().satisfies(c -> {
      assertThat(c.lastValue).isEqualTo("0.25");
      assertThat(c.passed).isZero();
    });
    assertThat(s.previous).as("nothing recorded: nothing will be replaced").isNull();
    assertThat(s.preflight).extracting(r -> r.name).containsExactly(PreflightChecks.ROLLBACK_TARGET,
        PreflightChecks.ROLLBACK_REFERENCES, PreflightChecks.QUOTA, PreflightChecks.DRY_RUN, "check/error-rate");
    assertThat(patches).isEmpty();
  }

  @Test
  void aPatchTheServerRefusesInADryRunIsRejectedBeforeAnyWrite() throws WriteConflict {
    cluster.refusal = "HTTP 403: admission webhook \"images.example.com\" denied the request: unsigned image";

    Step step = pending.handle(observe(hotfix("web:2"), deployment("web:1", null), List.of()));

    assertThat(step.phase()).isEqualTo(Phase.Rejected);
    assertThat(step.message()).contains("pre-flight dry-run", "unsigned image", "nothing was changed");
    HotfixStatus s = new HotfixStatus();
    step.edit().accept(s);
    assertThat(s.preflight).filteredOn(r -> !r.passed).extracting(r -> r.name)
        .containsExactly(PreflightChecks.DRY_RUN);
    assertThat(s.previous).isNull();
    assertThat(patches).isEmpty();
  }

  @Test
  void aRollbackTargetGoneFromTheServerIsRejected() throws WriteConflict {
    cluster.replicaSets.clear();

    Step step = pending.handle(observe(hotfix("web:2"), deployment("web:1", null), List.of()));

    assertThat(step.phase()).isEqualTo(Phase.Rejected);
    assertThat(step.message()).contains("pre-flight rollback-target", "ReplicaSet web-abc (revision 1)", "is gone");
    assertThat(patches).isEmpty();
  }

  @Test
  void aConfigMapTheOldTemplateNeedsIsMissingSoTheHotfixIsRejected() throws WriteConflict {
    ReplicaSet old = cluster.replicaSets.get("web-abc");
    old.getSpec().getTemplate().getSpec().getContainers().get(0).setEnvFrom(List.of(
        new EnvFromSourceBuilder().withNewConfigMapRef().withName("web-config")
            .endConfigMapRef().build(),
        new EnvFromSourceBuilder().withNewSecretRef().withName("web-token")
            .endSecretRef().build()));
    cluster.secretsReadable = false;

    Step step = pending.handle(observe(hotfix("web:2"), deployment("web:1", null), List.of()));

    assertThat(step.phase()).isEqualTo(Phase.Rejected);
    assertThat(step.message()).contains("pre-flight rollback-references", "ConfigMap web-config, which no longer exists",
        "not checked (the operator may not read them): Secret web-token");

    cluster.configMaps.add("web-config");
    assertThat(pending.handle(observe(hotfix("web:2"), deployment("web:1", null), List.of())).phase())
        .isEqualTo(Phase.RollingOut);
    assertThat(patches).isEmpty();
  }

  @Test
  void aFullPodQuotaRejectsAZeroDowntimeRolloutAndOneFreePodLetsItStart() throws WriteConflict {
    cluster.quotas.add(new ResourceQuotaBuilder().withNewMetadata().withName("pods")
        .endMetadata().withNewSpec().addToHard("pods", new Quantity("3")).endSpec()
        .build());
    cluster.pods = 3;

    Step step = pending.handle(observe(hotfix("web:2"), deployment("web:1", null), List.of()));

    assertThat(step.phase()).isEqualTo(Phase.Rejected);
    assertThat(step.message()).contains("pre-flight quota", "ResourceQuota pods allows pods=3", "runs 3");
    cluster.pods = 2;
    Step allowed = pending.handle(observe(hotfix("web:2"), deployment("web:1", null), List.of()));
    assertThat(allowed.phase()).as(allowed.message()).isEqualTo(Phase.RollingOut);
    assertThat(patches).isEmpty();
  }

  @Test
  void aCheckWhoseQueryHasNoDataNowIsRejectedUpFront() throws WriteConflict {
    Step step = pendingWith(query -> OptionalDouble.empty())
        .handle(observe(withCheck(hotfix("web:2")), deployment("web:1", null), List.of()));

    assertThat(step.phase()).isEqualTo(Phase.Rejected);
    assertThat(step.message()).contains("check error-rate: the query has no data for the revision running now",
        "or vector(0)");
    assertThat(cluster.dryRuns).as("refused before the dry run").isEmpty();
    assertThat(patches).isEmpty();
  }

  @Test
  void aCheckWithoutDataYetIsAskedAgainWithinItsNoDataGrace() throws WriteConflict {
    Hotfix young = withCheck(hotfix("web:2"));
    young.getMetadata().setCreationTimestamp(NOW.minusSeconds(10).toString());

    Step step = pendingWith(query -> OptionalDouble.empty()).handle(observe(young, deployment("web:1", null),
        List.of()));

    assertThat(step.phase()).isEqualTo(Phase.Pending);
    assertThat(step.message()).contains("waiting for check error-rate's query to have data",
        "Rejected if it has none by " + NOW.minusSeconds(10).plusSeconds(60));
    assertThat(step.recheckAt()).contains(NOW.plusSeconds(15));
    assertThat(cluster.dryRuns).isEmpty();
  }

  // ---- fixtures ----

  /** Pending with {@code source} as the namespace's Prometheus. */
  private PendingHandler pendingWith(MetricSource source) {
    return new PendingHandler(ns -> Optional.of(source), checksWith(ns -> Optional.of(source)), governance,
        new RequesterAuthorization((who, verb, group, resource, namespace, name) -> {
          throw new AssertionError("no access review for a trusted unverified requester");
        }, true), new PreflightChecks(cluster), Set.of());
  }

  private VerifyingHandler verifying(MetricSource source) {
    return new VerifyingHandler(health, checksWith(ns -> Optional.of(source)), rollback);
  }

  /** Checks whose queries run at once on the test's thread. */
  private VerificationChecks checksWith(MetricSources sources) {
    MeasurementWorkers workers = MeasurementWorkers.inline(Clock.systemUTC());
    return new VerificationChecks(new MetricAnalysis(sources, metrics, workers),
        new JobChecks(new InMemorySmokeTestJobs(), metrics), new HttpChecks((ns, name) -> Optional.empty(),
            new ServiceHttp(EndpointAllowList.NONE, ServiceAddresses.dns(), OutboundHttp.withDefaultTrust(), 1024),
            workers, metrics), id -> { });
  }

  /** The Hotfix with one check, {@code up > 0.05}, every 15 s, and a 10 s bake. */
  private static Hotfix withCheck(Hotfix h) {
    CheckSpec c = new CheckSpec();
    c.name = "error-rate";
    c.prometheus = new PrometheusCheck();
    c.prometheus.query = "up";
    c.failWhen = "> 0.05";
    h.getSpec().verification = new VerificationSpec();
    h.getSpec().verification.bakeSeconds = 10;
    h.getSpec().verification.checks = List.of(c);
    return h;
  }

  /** The Hotfix in Verifying since {@code bakeStartedAt}, its revision web:2 applied as ReplicaSet abc. */
  private static Hotfix verifying(Hotfix h, Instant bakeStartedAt) {
    recorded(h);
    h.getStatus().phase = Phase.Verifying;
    h.getStatus().bakeStartedAt = bakeStartedAt.toString();
    h.getStatus().applied = new RevisionRecord();
    h.getStatus().applied.revision = 2L;
    h.getStatus().applied.podTemplateHash = "abc";
    h.getStatus().applied.images = List.of(new ImageRecord("app", "web:2"));
    return h;
  }

  /** A finisher whose reports go nowhere. */
  private Finisher finisher() {
    return finisher((hotfix, markdown) -> "fix-report");
  }

  /** A finisher that records its Deployment patches in {@link #patches}; no Events are expected. */
  private Finisher finisher(ReportStore reports) {
    return new Finisher(writer, reports, new HotfixEvents(new EventRecorder(null, Clock.systemUTC())));
  }

  private static Hotfix hotfix(String image) {
    Hotfix h = new Hotfix();
    h.getMetadata().setName("fix");
    h.getMetadata().setNamespace("shop");
    h.getMetadata().setUid("uid-fix");
    h.getMetadata().setGeneration(1L);
    h.getMetadata().setCreationTimestamp("2026-11-21T09:30:00Z");
    HotfixSpec spec = new HotfixSpec();
    spec.severity = Severity.Critical;
    spec.reason = "test";
    spec.target = new TargetRef();
    spec.target.name = "web";
    spec.containers = List.of(new ContainerImage("app", image));
    h.setSpec(spec);
    return h;
  }

  /** A Hotfix whose previous revision (web:1, hash abc) is recorded, in RollingOut. */
  private static Hotfix recorded(Hotfix h) {
    HotfixStatus s = new HotfixStatus();
    s.phase = Phase.RollingOut;
    s.startedAt = NOW.minusSeconds(5).toString();
    s.previous = new RevisionRecord();
    s.previous.revision = 1L;
    s.previous.podTemplateHash = "abc";
    s.previous.images = List.of(new ImageRecord("app", "web:1"));
    h.setStatus(s);
    return h;
  }

  /** A settled 3-replica Deployment running {@code image}, held by {@code holder} when given. */
  private static Deployment deployment(String image, Hotfix holder) {
    DeploymentBuilder b = new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("shop")
        .withUid("uid-web").withResourceVersion("5").withGeneration(1L)
        .addToAnnotations(DeploymentRevisions.REVISION_ANNOTATION, "1").endMetadata()
        .withNewSpec().withReplicas(3).withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
        .withNewMaxSurge("25%").withNewMaxUnavailable("25%").endRollingUpdate().endStrategy()
        .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata().withNewSpec()
        .addNewContainer().withName("app").withImage(image).endContainer().endSpec().endTemplate().endSpec()
        .withNewStatus().withObservedGeneration(1L).withReplicas(3).withUpdatedReplicas(3).withReadyReplicas(3)
        .withAvailableReplicas(3).endStatus();
    if (holder != null) {
      b.editMetadata().addToAnnotations(HotfixAnnotations.ACTIVE, holder.getMetadata().getName())
          .addToAnnotations(HotfixAnnotations.ATTEMPT, Observation.attemptOf(holder)).endMetadata();
    }
    return b.build();
  }

  private static ReplicaSet replicaSetOf(Deployment d, String hash) {
    return new ReplicaSetBuilder().withNewMetadata().withName("web-" + hash).withNamespace("shop")
        .addToLabels("pod-template-hash", hash).addToAnnotations(DeploymentRevisions.REVISION_ANNOTATION, "1")
        .addNewOwnerReference().withController(true).withKind("Deployment").withName("web").withUid("uid-web")
        .endOwnerReference().endMetadata()
        .withNewSpec().withReplicas(3).withTemplate(d.getSpec().getTemplate()).endSpec().build();
  }

  /** Pending, saying so, and looking again in a second in case the watch's event is lost. */
  private static void assertWaitsForTheWatch(Step step, String message) {
    assertThat(step.phase()).isEqualTo(Phase.Pending);
    assertThat(step.message()).isEqualTo(message);
    assertThat(step.recheckAt()).contains(NOW.plusSeconds(1));
  }

  private static Observation observe(Hotfix h, Deployment d, List<Hotfix> rivals) {
    DeploymentRevisions revisions = new DeploymentRevisions(d, List.of(replicaSetOf(d, "abc")));
    return new Observation(h, EffectiveSpec.of(h.getSpec()), Optional.of(revisions), List.of(), rivals, NOW);
  }
}
