package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixApproval;
import dev.hotfix.api.v1alpha1.HotfixPolicy;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.TargetRef;
import dev.hotfix.history.HistoryStore;
import dev.hotfix.policy.PriorHotfixes;
import dev.hotfix.report.ReportWriter;
import dev.hotfix.rollout.DeploymentRevisions;
import dev.hotfix.rollout.CanaryReplicaSet;
import dev.hotfix.rollout.PodTemplates;
import dev.hotfix.outbound.OutboundHttp;
import dev.hotfix.outbound.ServiceHttp;
import dev.hotfix.rollout.SmokeTestJob;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import dev.hotfix.api.v1alpha1.TargetKind;
import dev.hotfix.rollout.WorkloadView;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The thin reconciler: observe (from informer caches), let the handler of the current phase
 * decide, write the status, and, when the phase changed, let the next handler act at once in
 * the same pass (a detected fault is rolled back without waiting for another event). It
 * reschedules only for deadlines, bake ends and window openings; everything else is driven by
 * events on the target Deployment, its ReplicaSets and pods, rival Hotfixes, the namespace's
 * HotfixPolicy, the HotfixApprovals and the job checks' Jobs.
 */
// All events, deletions included: the hotfix.dev/cleanup finalizer is managed here (CleanupFinalizer),
// not by java-operator-sdk, which would hold it for the Hotfix's whole life.
@ControllerConfiguration(name = "hotfix", triggerReconcilerOnAllEvents = true)
public final class HotfixReconciler implements Reconciler<Hotfix> {
  private static final String BY_TARGET = "by-target";
  private static final String BY_HOTFIX = "by-hotfix";
  /** Phase changes handled in one pass at most (Scheduled → Pending → RollingOut → ... is 5). */
  private static final int MAX_STEPS_PER_PASS = 6;
  /** After a 409, look again soon: someone just wrote, so fresh state is on its way. */
  private static final Duration AFTER_CONFLICT = Duration.ofMillis(100);

  private final Clock clock;
  private final PhaseListener listener;
  private final OperatorOptions options;
  private final ReconcileTuning tuning;
  private final HotfixEvents events;
  private final ReconcileProgress progress;
  private final ReportWriter reports;
  private IndexerResourceCache<Hotfix> hotfixes;
  private InformerEventSource<Deployment, Hotfix> deployments;
  private InformerEventSource<ReplicaSet, Hotfix> replicaSets;
  private InformerEventSource<StatefulSet, Hotfix> statefulSets;
  private InformerEventSource<DaemonSet, Hotfix> daemonSets;
  private InformerEventSource<ControllerRevision, Hotfix> controllerRevisions;
  private InformerEventSource<Pod, Hotfix> pods;
  private InformerEventSource<Hotfix, Hotfix> rivals;
  private InformerEventSource<HotfixApproval, Hotfix> approvals;
  private StatusWriter statusWriter;
  private CleanupFinalizer finalizer;
  private DeletionHandling deletion;
  private CanaryStage canaries;
  private Map<Phase, PhaseHandler> handlers;

  /**
   * @param clock the time of observations and measurements
   * @param listener told of every phase change
   * @param options the default Prometheus and the meter registry
   * @param tuning the retry budget and the write seam
   * @param events where phase changes and warnings are recorded as Events
   * @param progress times each reconcile (the operator's readiness and its stuck-reconcile gauge)
   * @param reports where the finisher writes the incident reports
   */
  HotfixReconciler(Clock clock, PhaseListener listener, OperatorOptions options, ReconcileTuning tuning,
      HotfixEvents events, ReconcileProgress progress, ReportWriter reports) {
    this.clock = clock;
    this.listener = listener;
    this.options = options;
    this.tuning = tuning;
    this.events = events;
    this.progress = progress;
    this.reports = reports;
  }

  @Override
  public List<EventSource<?, Hotfix>> prepareEventSources(EventSourceContext<Hotfix> context) {
    hotfixes = context.getPrimaryCache();
    hotfixes.addIndexer(BY_TARGET, HotfixReconciler::targetKey);

    deployments = new InformerEventSource<>(InformerEventSourceConfiguration.from(Deployment.class, Hotfix.class)
        .withName("deployments")
        .withSecondaryToPrimaryMapper(d -> hotfixesTargeting(d.getMetadata().getNamespace(), TargetKind.Deployment,
            d.getMetadata().getName()))
        .build(), context);
    statefulSets = new InformerEventSource<>(InformerEventSourceConfiguration.from(StatefulSet.class, Hotfix.class)
        .withName("statefulsets")
        .withSecondaryToPrimaryMapper(t -> hotfixesTargeting(t.getMetadata().getNamespace(), TargetKind.StatefulSet,
            t.getMetadata().getName()))
        .build(), context);
    daemonSets = new InformerEventSource<>(InformerEventSourceConfiguration.from(DaemonSet.class, Hotfix.class)
        .withName("daemonsets")
        .withSecondaryToPrimaryMapper(t -> hotfixesTargeting(t.getMetadata().getNamespace(), TargetKind.DaemonSet,
            t.getMetadata().getName()))
        .build(), context);
    // the revisions of StatefulSets and DaemonSets: what a rollback of one restores
    controllerRevisions = new InformerEventSource<>(InformerEventSourceConfiguration.from(ControllerRevision.class,
        Hotfix.class)
        .withName("controllerrevisions")
        .withSecondaryToPrimaryMapper(r -> targetOf(r).map(t -> hotfixesTargeting(t)).orElse(Set.of()))
        .build(), context);
    controllerRevisions.addIndexers(Map.of(BY_TARGET, r -> targetOf(r).map(List::of).orElse(List.of())));
    replicaSets = new InformerEventSource<>(InformerEventSourceConfiguration.from(ReplicaSet.class, Hotfix.class)
        .withName("replicasets")
        .withSecondaryToPrimaryMapper(rs -> CanaryReplicaSet.isCanary(rs) ? canaryOwner(rs)
            : hotfixesTargeting(rs.getMetadata().getNamespace(), TargetKind.Deployment, deploymentOf(rs)))
        .build(), context);
    replicaSets.addIndexers(Map.of(BY_TARGET, rs -> keyOf(rs, TargetKind.Deployment, deploymentOf(rs)),
        BY_HOTFIX, rs -> hotfixKeyOf(rs)));
    pods = new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, Hotfix.class)
        .withName("pods")
        .withSecondaryToPrimaryMapper(p -> targetOf(p).map(t -> hotfixesTargeting(t)).orElse(Set.of()))
        .build(), context);
    pods.addIndexers(Map.of(BY_TARGET, p -> targetOf(p).map(List::of).orElse(List.of())));
    // A Hotfix that finishes or starts wakes the others waiting on the same target.
    rivals = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Hotfix.class, Hotfix.class)
            .withName("rivals")
            .withSecondaryToPrimaryMapper(h -> h.getSpec() == null || h.getSpec().target == null ? Set.of()
                : hotfixesTargeting(targetKey(h).get(0)).stream()
                    .filter(id -> !id.getName().equals(h.getMetadata().getName())).collect(Collectors.toSet()))
            .build(), context);
    // Rivals are read from this informer's own cache: its event about a rival that just finished
    // is handled only after its cache holds that change, which the primary cache may not yet.
    rivals.addIndexers(Map.of(BY_TARGET, HotfixReconciler::targetKey));
    // A policy edit or a new approval re-evaluates the waiting Hotfixes at once.
    InformerEventSource<HotfixPolicy, Hotfix> policies = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(HotfixPolicy.class, Hotfix.class)
        .withName("policies")
        .withSecondaryToPrimaryMapper(p -> HotfixPolicy.DEFAULT_NAME.equals(p.getMetadata().getName())
            ? waitingIn(p.getMetadata().getNamespace()) : Set.of())
        .build(), context);
    approvals = new InformerEventSource<>(InformerEventSourceConfiguration.from(HotfixApproval.class, Hotfix.class)
        .withName("approvals")
        .withSecondaryToPrimaryMapper(a -> a.getSpec() == null || a.getSpec().hotfix == null ? Set.of()
            : Set.of(new ResourceID(a.getSpec().hotfix, a.getMetadata().getNamespace())))
        .build(), context);
    approvals.addIndexers(Map.of(BY_HOTFIX, a -> a.getSpec() == null || a.getSpec().hotfix == null ? List.of()
        : List.of(key(a.getMetadata().getNamespace(), a.getSpec().hotfix))));

    // A job check's Job finishing brings its Hotfix back (named by the Job's label; only labelled Jobs are cached).
    InformerEventSource<Job, Hotfix> jobs = new InformerEventSource<>(InformerEventSourceConfiguration.from(Job.class,
        Hotfix.class)
        .withName("smoke-test-jobs")
        .withLabelSelector(SmokeTestJob.CHECK_LABEL)
        .withSecondaryToPrimaryMapper(j -> j.getMetadata().getLabels() == null
            || j.getMetadata().getLabels().get(SmokeTestJob.HOTFIX_LABEL) == null ? Set.of()
            : Set.of(new ResourceID(j.getMetadata().getLabels().get(SmokeTestJob.HOTFIX_LABEL),
                j.getMetadata().getNamespace())))
        .build(), context);

    DeploymentWriter writer = new ApiDeploymentWriter(context.getClient(), Map.of(TargetKind.Deployment, deployments,
        TargetKind.StatefulSet, statefulSets, TargetKind.DaemonSet, daemonSets), tuning.seam());
    MetricSources sources = new PrometheusEndpoints(context.getClient(), options.prometheusUrl(), options.outbound());
    VerificationMetrics metrics = new VerificationMetrics(options.meters(), clock);
    MeasurementAnswers answers = new MeasurementAnswers(MeasurementWorkers.pooled(clock,
        options.outbound().workersPerEndpoint(), options.outbound().queuePerEndpoint()));
    HttpChecks https = new HttpChecks((ns, name) -> Optional.ofNullable(context.getClient().services().inNamespace(ns)
        .withName(name).get()), new ServiceHttp(options.outbound().allowed(), options.outbound().services(),
        OutboundHttp.withDefaultTrust(), options.outbound().maxBodyBytes()), answers.workers(), answers::answered,
        metrics);
    MetricChecks checks = new MetricChecks(sources, metrics, answers.workers(), answers::answered,
        new JobChecks(new ApiSmokeTestJobs(context.getClient(), jobs), metrics), https);
    Gates gates = new Gates(checks, metrics);
    statusWriter = new StatusWriter(context.getClient(), events, listener,
        tuning.seam());
    finalizer = new CleanupFinalizer(context.getClient(), tuning.seam());
    deletion = new DeletionHandling();
    GovernanceGate gate = new GovernanceGate(governanceInputs(context.getClient()),
        new ApiApprovalStatusWriter(context.getClient()), options.identityProofs());
    handlers = new EnumMap<>(Phase.class);
    RequesterAuthorization requesters = new RequesterAuthorization(new ApiAccessReviewer(context.getClient()),
        options.trustUnverifiedRequesters() && !options.identityProofs().hasKey());
    handlers.put(Phase.Pending, new PendingHandler(sources, checks, gate, requesters,
        new PreflightChecks(new ApiClusterProbe(context.getClient())),
        options.excludedNamespaces()));
    handlers.put(Phase.AwaitingApproval, new AwaitingApprovalHandler(gate));
    handlers.put(Phase.Scheduled, new ScheduledHandler(gate));
    canaries = new CanaryStage(new ApiCanaryWriter(context.getClient(), replicaSets), gates);
    handlers.put(Phase.RollingOut, new RollingOutHandler(writer, gates, gate, canaries));
    handlers.put(Phase.Verifying, new VerifyingHandler(gates));
    handlers.put(Phase.RollingBack, new RollingBackHandler(writer, gates, pod -> context.getClient().pods()
        .inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete()));
    Finisher finisher = new Finisher(writer, (h, markdown) -> reports.write(h, markdown).getMetadata().getName(),
        events);
    for (Phase p : Phase.values()) {
      if (p.isTerminal()) {
        handlers.put(p, finisher);
      }
    }
    return List.of(deployments, replicaSets, statefulSets, daemonSets, controllerRevisions, pods, rivals, policies,
        approvals, jobs, answers);
  }

  @Override
  public UpdateControl<Hotfix> reconcile(Hotfix hotfix, Context<Hotfix> context) {
    return progress.track(() -> reconcileTracked(hotfix, context));
  }

  private UpdateControl<Hotfix> reconcileTracked(Hotfix hotfix, Context<Hotfix> context) {
    if (context.isPrimaryResourceDeleted()) {
      // gone for good (its finalizer was let go): nothing left to act on
      listener.deleted(hotfix);
      return UpdateControl.noUpdate();
    }
    Hotfix current = hotfix;
    listener.phaseSeen(hotfix);
    try {
      // a finished Hotfix still holding the finalizer (a crash right after its terminal status)
      // lets it go only once the finisher has released the Deployment and written the report
      Phase stored = PendingHandler.phaseOf(hotfix);
      if (hotfix.isMarkedForDeletion() && !CleanupFinalizer.heldIn(stored) && !stored.isTerminal()) {
        finalizer.settle(current, stored);
        return UpdateControl.noUpdate();
      }
      for (int i = 0; i < MAX_STEPS_PER_PASS; i++) {
        Observation o = observe(current);
        canaries.sweep(o);
        Step step;
        try {
          Optional<Step> deleted = deletion.step(o);
          step = deleted.isPresent() ? deleted.get() : handlers.get(o.phase()).handle(o);
        } catch (WriteRefused refused) {
          step = refused.end(o);
        }
        step = step.with(s -> Exposure.record(s, o));
        if (CleanupFinalizer.heldIn(step.phase())) {
          // before the status that lets the next step change the Deployment
          current = remember(context, current, finalizer.settle(current, step.phase()));
        }
        current = remember(context, current, statusWriter.write(current, step, o.now()));
        if (step.phase() == o.phase()) {
          current = remember(context, current, finalizer.settle(current, step.phase()));
          Optional<Duration> after = step.recheckAfter(clock.instant());
          return after.map(d -> UpdateControl.<Hotfix>noUpdate().rescheduleAfter(d.plusMillis(10)))
              .orElseGet(UpdateControl::noUpdate);
        }
      }
      return UpdateControl.<Hotfix>noUpdate().rescheduleAfter(Duration.ZERO);
    } catch (WriteConflict conflict) {
      return UpdateControl.<Hotfix>noUpdate().rescheduleAfter(AFTER_CONFLICT);
    }
  }

  /**
   * Makes our own write of the Hotfix what the next reconcile reads, even before its watch event
   * arrives: reading the older version would only end in a 409, and a metric measurement taken
   * in that pass would be lost with it (a failure not counted).
   */
  private static Hotfix remember(Context<Hotfix> context, Hotfix before, Hotfix written) {
    if (written != before) {
      context.eventSourceRetriever().getControllerEventSource()
          .handleRecentResourceUpdate(ResourceID.fromResource(written), written, before);
    }
    return written;
  }

  /**
   * A reconcile failed (the API answered 5xx, timed out, or was unreachable): java-operator-sdk
   * retries within its budget; once that is spent, the Hotfix must not park silently, so it says
   * so in status and a Warning Event and comes back after {@link ReconcileTuning#afterRetriesExhausted()}.
   */
  @Override
  public ErrorStatusUpdateControl<Hotfix> updateErrorStatus(Hotfix hotfix, Context<Hotfix> context, Exception e) {
    boolean exhausted = context.getRetryInfo().map(RetryInfo::isLastAttempt).orElse(true);
    if (!exhausted || context.isPrimaryResourceDeleted()) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    Duration again = tuning.afterRetriesExhausted();
    int attempts = context.getRetryInfo().map(RetryInfo::getAttemptCount).orElse(1);
    statusWriter.noteTrouble(hotfix, "RetriesExhausted", "could not finish a step after " + attempts
        + " attempts (" + describe(e) + "); phase " + PendingHandler.phaseOf(hotfix) + " is kept and the "
        + "operator tries again every " + again.toSeconds() + "s", clock.instant());
    return ErrorStatusUpdateControl.<Hotfix>noStatusUpdate().rescheduleAfter(again);
  }

  /** What failed, as short as people need it: the API's status code and message, or the root cause. */
  static String describe(Throwable e) {
    Throwable root = e;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k && k.getCode() > 0) {
        String message = k.getStatus() != null && k.getStatus().getMessage() != null ? k.getStatus().getMessage()
            : String.valueOf(k.getMessage());
        return "the Kubernetes API answered HTTP " + k.getCode() + ": " + shorten(message);
      }
      root = t;
    }
    return root.getClass().getSimpleName() + ": " + shorten(String.valueOf(root.getMessage()));
  }

  private static String shorten(String message) {
    return message.length() > 200 ? message.substring(0, 200) + "..." : message;
  }

  private Observation observe(Hotfix hotfix) {
    String namespace = hotfix.getMetadata().getNamespace();
    TargetKind kind = TargetKind.of(hotfix.getSpec().target);
    String target = hotfix.getSpec().target.name;
    String key = key(namespace, kind, target);
    ResourceID id = new ResourceID(target, namespace);
    List<Pod> targetPods = pods.byIndex(BY_TARGET, key);
    Optional<? extends HasMetadata> workload = switch (kind) {
      case Deployment -> deployments.get(id);
      case StatefulSet -> statefulSets.get(id);
      case DaemonSet -> daemonSets.get(id);
    };
    Optional<DeploymentRevisions> revisions = workload.map(w -> WorkloadView.revisions(w,
        replicaSets.byIndex(BY_TARGET, key), controllerRevisions.byIndex(BY_TARGET, key), targetPods));
    List<Hotfix> others = rivals.byIndex(BY_TARGET, key).stream()
        .filter(h -> !Objects.equals(h.getMetadata().getUid(), hotfix.getMetadata().getUid())).toList();
    Instant now = clock.instant();
    Optional<ReplicaSet> canary = replicaSets.byIndex(BY_HOTFIX, key(namespace, hotfix.getMetadata().getName()))
        .stream().filter(rs -> ownedBy(rs, hotfix) && rs.getMetadata().getDeletionTimestamp() == null).findFirst();
    return new Observation(hotfix, EffectiveSpec.of(hotfix.getSpec()), revisions,
        workload.map(w -> WorkloadView.pods(w, targetPods)).orElse(targetPods), others, now, canary);
  }

  /**
   * The policy read by name from the API (a policy applied just before a Hotfix is in force for
   * it, even if the informer has not delivered it yet; its informer only wakes waiting Hotfixes),
   * the approvals from their informer, whose events bring each new one, and the target's history
   * read by name (ConfigMaps are never listed or watched).
   */
  private GovernanceInputs governanceInputs(KubernetesClient client) {
    HistoryStore history = new HistoryStore(client);
    return new GovernanceInputs() {
      @Override
      public Optional<HotfixPolicy> policy(String namespace) {
        return Optional.ofNullable(client.resources(HotfixPolicy.class).inNamespace(namespace)
            .withName(HotfixPolicy.DEFAULT_NAME).get());
      }

      @Override
      public List<HotfixApproval> approvalsFor(String namespace, String hotfix) {
        return approvals.byIndex(BY_HOTFIX, key(namespace, hotfix));
      }

      @Override
      public PriorHotfixes history(String namespace, TargetRef target) {
        return history.priorHotfixes(namespace, target);
      }
    };
  }

  /** The Hotfixes of a namespace that the policy still holds or may hold (not yet rolling out). */
  private Set<ResourceID> waitingIn(String namespace) {
    if (hotfixes == null) {
      return Set.of();
    }
    return hotfixes.list(namespace)
        .filter(h -> PendingHandler.phaseOf(h).isDeciding())
        .map(ResourceID::fromResource).collect(Collectors.toSet());
  }

  private Set<ResourceID> hotfixesTargeting(String namespace, TargetKind kind, String name) {
    return name == null ? Set.of() : hotfixesTargeting(key(namespace, kind, name));
  }

  private Set<ResourceID> hotfixesTargeting(String targetKey) {
    if (hotfixes == null) {
      return Set.of();
    }
    return hotfixes.byIndex(BY_TARGET, targetKey).stream().map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  /** The Hotfix whose canary a ReplicaSet is. */
  private static Set<ResourceID> canaryOwner(ReplicaSet rs) {
    String hotfix = controller(rs, "Hotfix");
    return hotfix == null ? Set.of() : Set.of(new ResourceID(hotfix, rs.getMetadata().getNamespace()));
  }

  /** Whether the canary ReplicaSet is this very Hotfix's (not an earlier one's of the same name). */
  private static boolean ownedBy(ReplicaSet rs, Hotfix hotfix) {
    return rs.getMetadata().getOwnerReferences() != null && rs.getMetadata().getOwnerReferences().stream()
        .anyMatch(r -> Boolean.TRUE.equals(r.getController()) && r.getUid().equals(hotfix.getMetadata().getUid()));
  }

  /** The Deployment controlling a ReplicaSet, by its controller owner reference. */
  static String deploymentOf(ReplicaSet rs) {
    return controller(rs, "Deployment");
  }

  /** The Deployment a pod belongs to: its ReplicaSet's name less the pod-template-hash suffix. */
  static String deploymentOf(Pod pod) {
    String rs = controller(pod, "ReplicaSet");
    String hash = pod.getMetadata().getLabels() == null ? null
        : pod.getMetadata().getLabels().get(PodTemplates.HASH_LABEL);
    if (rs == null || hash == null || !rs.endsWith("-" + hash)) {
      return null;
    }
    return rs.substring(0, rs.length() - hash.length() - 1);
  }

  /**
   * The key of the target a pod or ControllerRevision belongs to: a Deployment's (through its
   * ReplicaSet), or the StatefulSet's or DaemonSet's that controls it.
   */
  static Optional<String> targetOf(HasMetadata object) {
    String namespace = object.getMetadata().getNamespace();
    if (object instanceof Pod pod) {
      String deployment = deploymentOf(pod);
      if (deployment != null) {
        return Optional.of(key(namespace, TargetKind.Deployment, deployment));
      }
    }
    for (TargetKind kind : List.of(TargetKind.StatefulSet, TargetKind.DaemonSet)) {
      String name = controller(object, kind.name());
      if (name != null) {
        return Optional.of(key(namespace, kind, name));
      }
    }
    return Optional.empty();
  }

  private static String controller(HasMetadata object, String kind) {
    List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
    return refs == null ? null : refs.stream()
        .filter(r -> Boolean.TRUE.equals(r.getController()) && kind.equals(r.getKind()))
        .map(OwnerReference::getName).findFirst().orElse(null);
  }

  private static List<String> targetKey(Hotfix h) {
    return h.getSpec() == null || h.getSpec().target == null ? List.of()
        : List.of(key(h.getMetadata().getNamespace(), TargetKind.of(h.getSpec().target), h.getSpec().target.name));
  }

  /** The key of the Hotfix controlling an object (its canary ReplicaSet). */
  private static List<String> hotfixKeyOf(HasMetadata object) {
    String hotfix = controller(object, "Hotfix");
    return hotfix == null ? List.of() : List.of(key(object.getMetadata().getNamespace(), hotfix));
  }

  private static List<String> keyOf(HasMetadata object, TargetKind kind, String name) {
    return name == null ? List.of() : List.of(key(object.getMetadata().getNamespace(), kind, name));
  }

  /** A target's key: a StatefulSet and a Deployment of the same name are different targets. */
  private static String key(String namespace, TargetKind kind, String name) {
    return namespace + "/" + kind + "/" + name;
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
