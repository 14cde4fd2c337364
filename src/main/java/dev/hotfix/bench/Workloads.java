package dev.hotfix.bench;

import dev.hotfix.api.v1alpha1.ContainerImage;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixSpec;
import dev.hotfix.api.v1alpha1.RolloutSpec;
import dev.hotfix.api.v1alpha1.Severity;
import dev.hotfix.api.v1alpha1.TargetRef;
import dev.hotfix.api.v1alpha1.VerificationSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.List;
import java.util.function.Consumer;

/**
 * The objects the benchmark creates: Deployments of the simulated app on a good image (a
 * zero-downtime rolling strategy, as the Hotfix would set anyway, so the operator and the
 * kubectl script roll out alike), and Critical Hotfixes (no approval needed) of one container.
 */
final class Workloads {
  static final String NAMESPACE = "default";
  /** The pod label naming the Deployment; the simulated app and the benchmark's watch read it. */
  static final String APP_LABEL = "app";
  static final String CONTAINER = "app";
  static final String GOOD = "registry.example.com/web:1.0";
  static final String FIXED = "registry.example.com/web:1.1";
  static final String CRASHING = "registry.example.com/web:1.1-crashloop";
  static final String ERRORS = "registry.example.com/web:1.1-errors";

  private Workloads() {
  }

  static Deployment deployment(String name, int replicas) {
    return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
        .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels(APP_LABEL, name).endSelector()
        .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate().withMaxSurge(new IntOrString(1))
        .withMaxUnavailable(new IntOrString(0)).endRollingUpdate().endStrategy()
        .withNewTemplate().withNewMetadata().addToLabels(APP_LABEL, name).endMetadata()
        .withNewSpec().addNewContainer().withName(CONTAINER).withImage(GOOD).endContainer().endSpec()
        .endTemplate().endSpec().build();
  }

  /** A Hotfix shipping {@code image} to Deployment {@code target}, verified for {@code bakeSeconds}. */
  static Hotfix hotfix(String name, String target, String image, int bakeSeconds, Consumer<VerificationSpec> checks) {
    Hotfix h = new Hotfix();
    h.getMetadata().setName(name);
    h.getMetadata().setNamespace(NAMESPACE);
    HotfixSpec spec = new HotfixSpec();
    spec.severity = Severity.Critical;
    spec.reason = "benchmark";
    spec.target = new TargetRef();
    spec.target.name = target;
    spec.containers = List.of(new ContainerImage(CONTAINER, image));
    spec.rollout = new RolloutSpec();
    spec.rollout.maxSurge = new IntOrString(1);
    spec.rollout.maxUnavailable = new IntOrString(0);
    // generous: with a thousand Hotfixes at once the sandbox's API server is the bottleneck, and
    // a benchmark of throughput must not turn into one of deadlines (faults are caught by the
    // pod scan and the checks, not by these)
    spec.rollout.progressDeadlineSeconds = 1800;
    spec.rollout.podReadyTimeoutSeconds = 600;
    spec.verification = new VerificationSpec();
    spec.verification.bakeSeconds = bakeSeconds;
    spec.verification.intervalSeconds = 1;
    checks.accept(spec.verification);
    h.setSpec(spec);
    return h;
  }
}
