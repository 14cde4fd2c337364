package dev.hotfix.bench;

import dev.hotfix.api.v1alpha1.Hotfix;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;

/** Our operator: a Hotfix of the bad image, with the fault's checks; done when the Hotfix is terminal. */
final class HotfixResponder implements Responder {
  /** Long enough that a metric fault is caught while verifying, not after a Succeeded. */
  private static final int BAKE_SECONDS = 60;
  private static final Duration TERMINAL_TIMEOUT = Duration.ofSeconds(150);

  private final KubernetesClient client;
  private final ClusterWatch watch;

  HotfixResponder(KubernetesClient client, ClusterWatch watch) {
    this.client = client;
    this.watch = watch;
  }

  @Override
  public String subject() {
    return Figure.OPERATOR;
  }

  @Override
  public String respond(String deployment, FaultScenario fault) {
    String name = hotfixOf(deployment);
    client.resource(Workloads.hotfix(name, deployment, fault.badImage(), BAKE_SECONDS,
        s -> fault.shape(s, deployment))).create();
    Waits.require(TERMINAL_TIMEOUT, "Hotfix " + name + " terminal",
        () -> watch.phase(name).map(p -> p.isTerminal()).orElse(false));
    Hotfix done = watch.hotfix(name).orElseThrow();
    return done.getStatus().phase + (done.getStatus().rollbackCause == null ? ""
        : " (" + done.getStatus().rollbackCause.metricTag() + ")");
  }

  static String hotfixOf(String deployment) {
    return deployment + "-fix";
  }
}
