package dev.hotfix.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import dev.hotfix.metrics.HotfixMetrics;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The operator: java-operator-sdk running the {@link HotfixReconciler} (and the
 * {@link HotfixPolicyReconciler}, which reports on each policy) against one Kubernetes API. Used by the {@code run} command, the demo, and the scenario tests (in-process).
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
   * @param options the namespaces to watch, the default Prometheus, the meter registry, the clock
   * @param listener told of every phase change
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
    PhaseListener metricsAndListener = PhaseListener.both(new HotfixMetrics(options.meters()), listener);
    operator.register(new HotfixReconciler(options.clock(), metricsAndListener, options),
        watching(options.namespaces()));
    operator.register(new HotfixPolicyReconciler(options.clock()), watching(options.namespaces()));
    operator.start();
    return new HotfixOperator(operator);
  }

  /** A controller watching {@code namespaces}, or all when empty. */
  private static <R extends HasMetadata> Consumer<ControllerConfigurationOverrider<R>> watching(Set<String> namespaces) {
    return c -> {
      if (!namespaces.isEmpty()) {
        c.settingNamespaces(namespaces);
      }
    };
  }

  @Override
  public void close() {
    operator.stop();
  }
}
