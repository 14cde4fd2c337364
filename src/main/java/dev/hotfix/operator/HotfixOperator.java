package dev.hotfix.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import dev.hotfix.metrics.HotfixMetrics;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import dev.hotfix.notify.Backoff;
import dev.hotfix.notify.DeliveryFailures;
import dev.hotfix.notify.Notifier;
import dev.hotfix.report.ReportWriter;
import java.time.Clock;
import java.time.Instant;

/**
 * The operator: java-operator-sdk running the {@link HotfixReconciler} against one Kubernetes
 * API. Used by the {@code run} command, the demo, and the scenario tests (in-process).
 */
public final class HotfixOperator implements AutoCloseable {
  private final Operator operator;
  private final Notifier notifier;

  private HotfixOperator(Operator operator, Notifier notifier) {
    this.operator = operator;
    this.notifier = notifier;
  }

  /**
   * Starts reconciling and returns once the informers are synced.
   *
   * @param client the API to work against; not closed by the operator
   * @param options the namespaces to watch, the default Prometheus, the meter registry
   * @param listener told of every phase change, after the metrics, the incident report and the
   *     notifications (which are only queued here: they never hold up the reconciler)
   */
  public static HotfixOperator start(KubernetesClient client, OperatorOptions options, PhaseListener listener) {
    Operator operator = new Operator(o -> o
        .withKubernetesClient(client)
        // Status is written by StatusWriter with optimistic concurrency; the API we run against
        // may not offer server-side apply (the sandbox refuses it, as do some proxies).
        .withUseSSAToPatchPrimaryResource(false)
        .withCloseClientOnStop(false)
        .withStopOnInformerErrorDuringStartup(true)
        // java-operator-sdk's own reconcile metrics, in the same registry as ours
        .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(options.meters())));
    EventRecorder events = new EventRecorder(client);
    Notifier notifier = new Notifier(client, options.meters(), Backoff.defaults(),
        (hotfix, message) -> events.warning(hotfix, DeliveryFailures.EVENT_REASON, message, Instant.now()));
    // the report first: a notification of the end names the report's ConfigMap
    PhaseListener all = PhaseListener.both(PhaseListener.both(new HotfixMetrics(options.meters()),
        new ReportWriter(client)), PhaseListener.both(notifier, listener));
    operator.register(new HotfixReconciler(Clock.systemUTC(), all, options), c -> {
      if (!options.namespaces().isEmpty()) {
        c.settingNamespaces(options.namespaces());
      }
    });
    operator.start();
    return new HotfixOperator(operator, notifier);
  }

  @Override
  public void close() {
    operator.stop();
    notifier.close();
  }
}
