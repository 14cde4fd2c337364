package dev.hotfix.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixSpec;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.sandbox.SampleWorkloads;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.function.Consumer;

/** The Deployments and Hotfixes the sandbox scenario tests run, and waiting for a Hotfix's end. */
public final class HotfixFixtures {
  private HotfixFixtures() {
  }

  /**
   * A Critical Hotfix of container {@code app} with test-sized timings: maxSurge 1,
   * maxUnavailable 0, a 30 s deadline, pods ready within 10 s, a 2 s bake measured every second.
   */
  public static Hotfix critical(String namespace, String name, String target, String image,
      Consumer<HotfixSpec> customize) {
    Hotfix h = SampleWorkloads.criticalHotfix(namespace, name, target, image, "scenario test");
    h.getSpec().rollout.progressDeadlineSeconds = 30;
    h.getSpec().rollout.podReadyTimeoutSeconds = 10;
    h.getSpec().verification.bakeSeconds = 2;
    customize.accept(h.getSpec());
    return h;
  }

  /**
   * A Deployment as its owner would write it: {@code replicas} pods of container {@code app}
   * labelled {@code app: <name>}, RollingUpdate with maxSurge 1 and maxUnavailable 25%.
   */
  public static Deployment deployment(String namespace, String name, int replicas, String image) {
    return SampleWorkloads.deployment(namespace, name, replicas, image, new IntOrString("25%"));
  }

  /** Waits until the Hotfix is in a terminal phase; on timeout says where it got stuck. */
  public static Hotfix awaitTerminal(KubernetesClient client, String namespace, String name, Duration atMost) {
    await().atMost(atMost).untilAsserted(() -> {
      Hotfix h = client.resources(Hotfix.class).inNamespace(namespace).withName(name).get();
      assertThat(h.getStatus()).as("Hotfix %s has a status", name).isNotNull();
      assertThat(h.getStatus().phase).as("Hotfix %s phase (message: %s)", name, h.getStatus().message)
          .isNotNull().matches(Phase::isTerminal);
      // the finisher's last write: the Deployment is released (if the phase asked) and the report written
      assertThat(h.getStatus().reportDigest).as("Hotfix %s finished (status.reportDigest)", name).isNotNull();
    });
    return client.resources(Hotfix.class).inNamespace(namespace).withName(name).get();
  }
}
