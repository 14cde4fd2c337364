package dev.hotfix.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.util.Set;

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
   * @param namespaces the namespaces to watch; empty means all
   * @param listener told of every phase change
   */
  public static HotfixOperator start(KubernetesClient client, Set<String> namespaces, PhaseListener listener) {
    Operator operator = new Operator(o -> o
        .withKubernetesClient(client)
        // Status is written by StatusWriter with optimistic concurrency; the API we run against
        // may not offer server-side apply (the sandbox refuses it, as do some proxies).
        .withUseSSAToPatchPrimaryResource(false)
        .withCloseClientOnStop(false)
        .withStopOnInformerErrorDuringStartup(true));
    operator.register(new HotfixReconciler(Clock.systemUTC(), listener), c -> {
      if (!namespaces.isEmpty()) {
        c.settingNamespaces(namespaces);
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
