package dev.hotfix.sandbox;

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

/**
 * The objects the demo, the benchmark and the scenario tests put on the sandbox: a Deployment of
 * one container named {@value #CONTAINER} whose pods are labelled {@code app: <name>} (the label
 * the simulated app reads), and a Critical Hotfix of that container (no approval needed) rolled
 * out with zero downtime. Each caller sets the timings that suit it.
 */
public final class SampleWorkloads {
  /** The one container of every sample Deployment. */
  public static final String CONTAINER = "app";
  /** The pod label naming the Deployment; the simulated app reads it. */
  public static final String APP_LABEL = "app";

  private SampleWorkloads() {
  }

  /** {@code replicas} pods of {@code image}, RollingUpdate with maxSurge 1 and {@code maxUnavailable}. */
  public static Deployment deployment(String namespace, String name, int replicas, String image,
      IntOrString maxUnavailable) {
    return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels(APP_LABEL, name).endSelector()
        .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate().withMaxSurge(new IntOrString(1))
        .withMaxUnavailable(maxUnavailable).endRollingUpdate().endStrategy()
        .withNewTemplate().withNewMetadata().addToLabels(APP_LABEL, name).endMetadata()
        .withNewSpec().addNewContainer().withName(CONTAINER).withImage(image).endContainer().endSpec()
        .endTemplate().endSpec().build();
  }

  /**
   * A Critical Hotfix shipping {@code image} to {@code target}'s container, maxSurge 1 and
   * maxUnavailable 0, measured every second; deadlines and bake are the caller's to set.
   */
  public static Hotfix criticalHotfix(String namespace, String name, String target, String image, String reason) {
    Hotfix h = new Hotfix();
    h.getMetadata().setName(name);
    h.getMetadata().setNamespace(namespace);
    HotfixSpec spec = new HotfixSpec();
    spec.severity = Severity.Critical;
    spec.reason = reason;
    spec.target = new TargetRef();
    spec.target.name = target;
    spec.containers = List.of(new ContainerImage(CONTAINER, image));
    spec.rollout = new RolloutSpec();
    spec.rollout.maxSurge = new IntOrString(1);
    spec.rollout.maxUnavailable = new IntOrString(0);
    spec.verification = new VerificationSpec();
    spec.verification.intervalSeconds = 1;
    h.setSpec(spec);
    return h;
  }
}
