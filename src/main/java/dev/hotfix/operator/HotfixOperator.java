package dev.hotfix.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import dev.hotfix.metrics.HotfixMetrics;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import java.time.Clock;

/**
 * The operator: java-operator-sdk running the {@link HotfixReconciler} against one Kubernetes
 * API. Used by the {@code run} command, the demo, and the scenario tests (in-process).
 */
public final class HotfixOperator implements AutoCloseable {
  private final Operator operator;

  private HotfixOperator(Operator operator) {
    this.operator = operator;
  }

  /**
   * Starts reconciling and returns once the informers are synced.
   *
   * @param client the API to work against; not closed by the operator
   * @param options the namespaces to watch, the default Prometheus, the meter registry
   * @param listener told of every phase change
   */
  public static HotfixOperator start(KubernetesClient client, OperatorOptions options, PhaseListener listener) {
    return start(client, options, listener, ReconcileTuning.defaults());
  }

  /** As above, with the retry budget and write seam of {@code tuning} (the reliability suite's). */
  public static HotfixOperator start(KubernetesClient client, OperatorOptions options, PhaseListener listener,
      ReconcileTuning tuning) {
    Operator operator = new Operator(o -> o
        .withKubernetesClient(client)
        // Status is written by StatusWriter with optimistic concurrency; the API we run against
        // may not offer server-side apply (the sandbox refuses it, as do some proxies).
        .withUseSSAToPatchPrimaryResource(false)
        .withCloseClientOnStop(false)
        .withStopOnInformerErrorDuringStartup(true)
        // java-operator-sdk's own reconcile metrics, in the same registry as ours
        .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(options.meters())));
    PhaseListener metricsAndListener = PhaseListener.both(new HotfixMetrics(options.meters()), listener);
    operator.register(new HotfixReconciler(Clock.systemUTC(), metricsAndListener, options, tuning), c -> {
      c.withRetry(tuning.retry());
      if (!options.namespaces().isEmpty()) {
        c.settingNamespaces(options.namespaces());
      }
    });
    operator.start();
    return new HotfixOperator(operator);
  }

  @Override
  public void close() {
    operator.stop();
  }
}
