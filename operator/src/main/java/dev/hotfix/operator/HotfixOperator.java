package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.history.HistoryRecorder;
import dev.hotfix.history.HistoryStore;
import dev.hotfix.metrics.HotfixMetrics;
import dev.hotfix.notify.Backoff;
import dev.hotfix.notify.DeliveryFailures;
import dev.hotfix.notify.EventRecorder;
import dev.hotfix.notify.Notifier;
import dev.hotfix.report.ReportWriter;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.Gauge;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator: java-operator-sdk running the {@link HotfixReconciler} (and the
 * {@link HotfixPolicyReconciler}, which reports on each policy) against one Kubernetes API. Used
 * by the {@code run} command, the demo, and the scenario tests (in-process).
 *
 * <p>With {@link LeaderElection} every instance syncs its informers, but only the Lease holder
 * reconciles. An instance that loses the Lease without being closed stops at once (so two
 * instances never act on the same Hotfix) and completes {@link #leadershipLost()}; {@code run}
 * then exits, and Kubernetes restarts the pod as a fresh candidate.
 */
public final class HotfixOperator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HotfixOperator.class);

  private final Operator operator;
  private final Notifier notifier;
  private final ReconcileProgress progress;
  private final EventRecorder eventRecorder;
  private final boolean electing;
  private final AtomicBoolean leading = new AtomicBoolean();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final CompletableFuture<Void> leadershipLost = new CompletableFuture<>();

  private HotfixOperator(OperatorOptions options, KubernetesClient client, PhaseListener listener,
      ReconcileTuning tuning) {
    electing = options.leaderElection().isPresent();
    operator = new Operator(o -> {
      o.withKubernetesClient(client)
          // Status is written by StatusWriter with optimistic concurrency; the API we run against
          // may not offer server-side apply (the sandbox refuses it, as do some proxies).
          .withUseSSAToPatchPrimaryResource(false)
          .withCloseClientOnStop(false)
          .withConcurrentReconciliationThreads(tuning.reconcileThreads())
          .withStopOnInformerErrorDuringStartup(true)
          // java-operator-sdk's own reconcile metrics, in the same registry as ours
          .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(options.meters()));
      options.leaderElection().ifPresent(e -> o.withLeaderElectionConfiguration(configuration(e)));
    });
    eventRecorder = new EventRecorder(client, options.clock());
    HotfixEvents events = new HotfixEvents(eventRecorder);
    notifier = new Notifier(client, options.meters(), Backoff.defaults(), options.outbound(),
        (hotfix, message) -> events.warning(hotfix, DeliveryFailures.EVENT_REASON, message));
    // the report is written by the finisher after the terminal status; as a listener it only
    // records a changed Deployment's Hotfix going
    ReportWriter reports = new ReportWriter(client, eventRecorder);
    PhaseListener all = PhaseListener.both(PhaseListener.both(new HotfixMetrics(options.meters()),
        PhaseListener.both(reports,
            new HistoryRecorder(new HistoryStore(client), eventRecorder))), PhaseListener.both(notifier, listener));
    // real time, not the operator's clock (tests move that): the age of a running reconcile
    progress = new ReconcileProgress(Clock.systemUTC(), tuning.stuckAfter()).register(options.meters());
    operator.register(new HotfixReconciler(options.clock(), all, options, tuning, events, progress,
        reports),
        HotfixOperator.<Hotfix>watching(options.namespaces()).andThen(c -> c.withRetry(tuning.retry())));
    operator.register(new HotfixPolicyReconciler(options.clock()), watching(options.namespaces()));
    Gauge.builder("hotfix.operator.leader", () -> isLeader() ? 1 : 0)
        .description("1 while this instance reconciles (holds the Lease, or runs without leader election)")
        .register(options.meters());
  }

  /**
   * Starts and returns once the informers are synced. Without leader election it reconciles at
   * once; with it, it reconciles from the moment it acquires the Lease (maybe never).
   *
   * @param client the API to work against; not closed by the operator
   * @param options the namespaces to watch, the default Prometheus, the meter registry, leader election
   * @param listener told of every phase change, after the metrics and the notifications (which are
   *     only queued here: they never hold up the reconciler); the incident report follows the
   *     terminal status, written by the finisher
   */
  public static HotfixOperator start(KubernetesClient client, OperatorOptions options, PhaseListener listener) {
    return start(client, options, listener, ReconcileTuning.defaults());
  }

  /** As above, with the retry budget and write seam of {@code tuning} (the reliability suite's). */
  public static HotfixOperator start(KubernetesClient client, OperatorOptions options, PhaseListener listener,
      ReconcileTuning tuning) {
    HotfixOperator hotfixOperator = new HotfixOperator(options, client, listener, tuning);
    hotfixOperator.operator.start();
    return hotfixOperator;
  }

  /** A controller watching {@code namespaces}, or all when empty. */
  private static <R extends HasMetadata> Consumer<ControllerConfigurationOverrider<R>> watching(Set<String> namespaces) {
    return c -> {
      if (!namespaces.isEmpty()) {
        c.settingNamespaces(namespaces);
      }
    };
  }

  private LeaderElectionConfiguration configuration(LeaderElection election) {
    return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(LeaderElection.LEASE_NAME)
        .withLeaseNamespace(election.leaseNamespace())
        .withIdentity(election.identity())
        .withLeaseDuration(election.leaseDuration())
        .withRenewDeadline(election.renewDeadline())
        .withRetryPeriod(election.retryPeriod())
        // java-operator-sdk would exit the JVM whenever leading stops, also when we close the
        // operator ourselves (tests run several in one JVM); we stop on a real loss instead.
        .withExitOnStopLeading(false)
        .withLeaderCallbacks(new LeaderCallbacks(() -> leading.set(true), this::stoppedLeading,
            leader -> LOG.info("the Lease {}/{} is held by {}", election.leaseNamespace(), LeaderElection.LEASE_NAME,
                leader)))
        .build();
  }

  private void stoppedLeading() {
    leading.set(false);
    if (closing.get()) {
      return;
    }
    LOG.error("lost the Lease {}: stopping so that only the new leader acts", LeaderElection.LEASE_NAME);
    // not on the elector's thread: stopping waits for the executors that thread belongs to
    Thread stopper = new Thread(() -> {
      close();
      leadershipLost.complete(null);
    }, "operator-lost-lease");
    stopper.start();
  }

  /**
   * Ready to serve its purpose: started, not stopping, every informer synced and watching, and no
   * reconcile stuck (running past {@link ReconcileTuning#stuckAfter()}).
   * A standby (not the leader) is ready too: it is a hot spare that takes over within one lease
   * duration, and a Service should not send readiness-gated traffic (metrics scrapes) away from it.
   */
  public boolean isReady() {
    return !closing.get() && operator.getRuntimeInfo().isStarted()
        && operator.getRuntimeInfo().allEventSourcesAreHealthy() && !progress.isStuck();
  }

  /** Reconciling: holds the Lease, or runs without leader election. */
  public boolean isLeader() {
    return !closing.get() && (electing ? leading.get() : operator.getRuntimeInfo().isStarted());
  }

  /** Completes when this instance lost the Lease (not by {@link #close()}) and stopped. */
  public CompletableFuture<Void> leadershipLost() {
    return leadershipLost;
  }

  /** Stops reconciling and watching; the Lease is not released, so a standby takes over after its duration. */
  @Override
  public void close() {
    if (closing.compareAndSet(false, true)) {
      operator.stop();
      notifier.close();
      eventRecorder.close();
    }
  }
}
