package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.HotfixApproval;
import dev.hotfix.api.v1alpha1.HotfixPolicy;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.TargetRef;
import dev.hotfix.health.ClusterHealth;
import dev.hotfix.health.MeasurementWorkers;
import dev.hotfix.health.VerificationMetrics;
import dev.hotfix.health.http.HttpChecks;
import dev.hotfix.health.job.ApiSmokeTestJobs;
import dev.hotfix.health.job.JobChecks;
import dev.hotfix.health.prometheus.MetricAnalysis;
import dev.hotfix.health.prometheus.MetricSources;
import dev.hotfix.health.prometheus.PrometheusEndpoints;
import dev.hotfix.history.HistoryStore;
import dev.hotfix.outbound.OutboundHttp;
import dev.hotfix.outbound.ServiceHttp;
import dev.hotfix.policy.NamespacePolicy;
import dev.hotfix.policy.PriorHotfixes;
import dev.hotfix.report.ReportWriter;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The handler of each phase and the collaborators of the loop, wired once (the operator's one
 * composition root for the reconciler, beside {@link HotfixOperator}, which wires the process:
 * client, metrics, Events, leader election): the writers go to the API through the caches of
 * {@link HotfixEventSources}; Pending, AwaitingApproval and Scheduled share one
 * {@link GovernanceGate}; RollingOut, Verifying and RollingBack share the cluster's judgement
 * ({@link ClusterHealth}), the checks ({@link VerificationChecks}) and the {@link RollbackDecision}; every
 * terminal phase is the {@link Finisher}'s.
 *
 * @param handlers the handler of every phase
 * @param statusWriter the one place that writes Hotfix status
 * @param finalizer the hotfix.dev/cleanup finalizer
 * @param deletion a deletion mid-flight
 * @param canaries the canary stage, also swept on every pass
 * @param answers the measurements' answers, an event source of their own
 */
record PhaseHandlers(Map<Phase, PhaseHandler> handlers, StatusWriter statusWriter, CleanupFinalizer finalizer,
    DeletionHandling deletion, CanaryStage canaries, MeasurementAnswers answers) {

  /** The handler of {@code phase}. */
  PhaseHandler of(Phase phase) {
    return handlers.get(phase);
  }

  static PhaseHandlers compose(KubernetesClient client, HotfixEventSources watched, Clock clock,
      OperatorOptions options, ReconcileTuning tuning, HotfixEvents events, PhaseListener listener,
      ReportWriter reports) {
    DeploymentWriter writer = new ApiDeploymentWriter(client, watched.targets(), tuning.seam());
    MetricSources sources = new PrometheusEndpoints(client, options.prometheusUrl(), options.outbound());
    VerificationMetrics metrics = new VerificationMetrics(options.meters(), clock);
    MeasurementAnswers answers = new MeasurementAnswers(MeasurementWorkers.pooled(clock,
        options.outbound().workersPerEndpoint(), options.outbound().queuePerEndpoint()));
    HttpChecks https = new HttpChecks((ns, name) -> Optional.ofNullable(client.services().inNamespace(ns)
        .withName(name).get()), new ServiceHttp(options.outbound().allowed(), options.outbound().services(),
        OutboundHttp.withDefaultTrust(), options.outbound().maxBodyBytes()), answers.workers(), metrics);
    VerificationChecks checks = new VerificationChecks(new MetricAnalysis(sources, metrics, answers.workers()),
        new JobChecks(new ApiSmokeTestJobs(client, watched.jobs()), metrics), https, answers::answered);
    ClusterHealth health = new ClusterHealth();
    RollbackDecision rollback = new RollbackDecision(metrics);
    StatusWriter statusWriter = new StatusWriter(client, events, listener, tuning.seam());
    GovernanceGate gate = new GovernanceGate(governanceInputs(client, watched), new ApiApprovalStatusWriter(client),
        options.identityProofs());
    RequesterAuthorization requesters = new RequesterAuthorization(new ApiAccessReviewer(client),
        options.trustUnverifiedRequesters() && !options.identityProofs().hasKey());
    CanaryStage canaries = new CanaryStage(new ApiCanaryWriter(client, watched.replicaSets()), checks, rollback);
    Map<Phase, PhaseHandler> handlers = new EnumMap<>(Phase.class);
    handlers.put(Phase.Pending, new PendingHandler(sources, checks, gate, requesters,
        new PreflightChecks(new ApiClusterProbe(client)), options.excludedNamespaces()));
    handlers.put(Phase.AwaitingApproval, new AwaitingApprovalHandler(gate));
    handlers.put(Phase.Scheduled, new ScheduledHandler(gate));
    handlers.put(Phase.RollingOut, new RollingOutHandler(writer, health, checks, rollback, gate, canaries));
    handlers.put(Phase.Verifying, new VerifyingHandler(health, checks, rollback));
    handlers.put(Phase.RollingBack, new RollingBackHandler(writer, health, rollback, pod -> client.pods()
        .inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete()));
    Finisher finisher = new Finisher(writer, (h, markdown) -> reports.write(h, markdown).getMetadata().getName(),
        events);
    for (Phase p : Phase.values()) {
      if (p.isTerminal()) {
        handlers.put(p, finisher);
      }
    }
    return new PhaseHandlers(Map.copyOf(handlers), statusWriter, new CleanupFinalizer(client, tuning.seam()),
        new DeletionHandling(), canaries, answers);
  }

  /**
   * The policy read by name from the API (a policy applied just before a Hotfix is in force for
   * it, even if the informer has not delivered it yet; its informer only wakes waiting Hotfixes),
   * the approvals from their informer, whose events bring each new one, and the target's history
   * read by name (ConfigMaps are never listed or watched).
   */
  private static GovernanceInputs governanceInputs(KubernetesClient client, HotfixEventSources watched) {
    HistoryStore history = new HistoryStore(client);
    return new GovernanceInputs() {
      @Override
      public Optional<HotfixPolicy> policy(String namespace) {
        return NamespacePolicy.read(client, namespace);
      }

      @Override
      public List<HotfixApproval> approvalsFor(String namespace, String hotfix) {
        return watched.approvalsFor(namespace, hotfix);
      }

      @Override
      public PriorHotfixes history(String namespace, TargetRef target) {
        return history.priorHotfixes(namespace, target);
      }
    };
  }
}
