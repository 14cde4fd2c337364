package dev.hotfix.bench;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixSpec;
import dev.hotfix.sandbox.SampleWorkloads;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.function.Consumer;

/**
 * The objects the benchmark creates: Deployments of the simulated app on a good image (a
 * zero-downtime rolling strategy, as the Hotfix would set anyway, so the operator and the
 * kubectl script roll out alike), and Critical Hotfixes (no approval needed) of one container.
 */
final class Workloads {
  static final String NAMESPACE = "default";
  /** The pod label naming the Deployment; the simulated app and the benchmark's watch read it. */
  static final String APP_LABEL = SampleWorkloads.APP_LABEL;
  static final String CONTAINER = SampleWorkloads.CONTAINER;
  static final String GOOD = "registry.example.com/web:1.0";
  static final String FIXED = "registry.example.com/web:1.1";
  static final String CRASHING = "registry.example.com/web:1.1-crashloop";
  static final String ERRORS = "registry.example.com/web:1.1-errors";

  private Workloads() {
  }

  static Deployment deployment(String name, int replicas) {
    return SampleWorkloads.deployment(NAMESPACE, name, replicas, GOOD, new IntOrString(0));
  }

  /**
   * A Hotfix shipping {@code image} to Deployment {@code target}, verified for {@code bakeSeconds},
   * with the scenario's further spec ({@code shape}: its checks, its canary).
   */
  static Hotfix hotfix(String name, String target, String image, int bakeSeconds, Consumer<HotfixSpec> shape) {
    Hotfix h = SampleWorkloads.criticalHotfix(NAMESPACE, name, target, image, "benchmark");
    // generous: with a thousand Hotfixes at once the sandbox's API server is the bottleneck, and
    // a benchmark of throughput must not turn into one of deadlines (faults are caught by the
    // pod scan and the checks, not by these)
    h.getSpec().rollout.progressDeadlineSeconds = 1800;
    h.getSpec().rollout.podReadyTimeoutSeconds = 600;
    h.getSpec().verification.bakeSeconds = bakeSeconds;
    shape.accept(h.getSpec());
    return h;
  }
}
