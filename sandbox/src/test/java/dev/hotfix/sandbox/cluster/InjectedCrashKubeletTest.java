package dev.hotfix.sandbox.cluster;

import io.fabric8.kubernetes.client.readiness.Readiness;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The kubelet reads a crash injected into a ReplicaSet ({@link InjectedCrash}) as people set it,
 * with {@code kubectl annotate}: its running pods crash from then on, and a value it cannot read
 * is reported on the ReplicaSet and changes nothing.
 */
class InjectedCrashKubeletTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  @RegisterExtension static final SandboxFixture sandbox = new SandboxFixture();

  @Test
  void aReadyPodOfAnAnnotatedReplicaSetCrashesFromThenOn() {
    ReplicaSet rs = readyReplicaSet("crashes-later");

    annotate(rs, Instant.now().toString());

    await().atMost(WAIT).untilAsserted(() -> {
      ContainerStatus app = onlyPod(rs).getStatus().getContainerStatuses().get(0);
      assertThat(app.getReady()).isFalse();
      assertThat(app.getRestartCount()).isPositive();
      assertThat(app.getLastState().getTerminated().getReason()).isEqualTo("Error");
      assertThat(app.getLastState().getTerminated().getExitCode()).isEqualTo(1);
    });
  }

  @Test
  void anUnreadableTimeIsReportedOnTheReplicaSetAndChangesNothing() {
    ReplicaSet rs = readyReplicaSet("bad-annotation");

    annotate(rs, "yesterday");

    await().atMost(WAIT).untilAsserted(() -> assertThat(events(rs)).singleElement().satisfies(e -> {
      assertThat(e.getType()).isEqualTo("Warning");
      assertThat(e.getReason()).isEqualTo("InvalidCrashInjection");
      assertThat(e.getMessage()).contains("\"yesterday\" is not an RFC 3339 time");
    }));
    ContainerStatus app = onlyPod(rs).getStatus().getContainerStatuses().get(0);
    assertThat(app.getReady()).isTrue();
    assertThat(app.getRestartCount()).isZero();
  }

  /** The ReplicaSet of a new one-replica Deployment, once its pod is ready. */
  private static ReplicaSet readyReplicaSet(String name) {
    sandbox.client.apps().deployments().resource(SandboxFixture.deployment(name, "shop:1.0", 1).build()).create();
    await().atMost(WAIT).until(() -> {
      List<ReplicaSet> owned = sandbox.client.apps().replicaSets().inNamespace(SandboxFixture.NS)
          .withLabel("app", name).list().getItems();
      return owned.size() == 1 && Readiness.isPodReady(onlyPod(owned.get(0)));
    });
    return sandbox.client.apps().replicaSets().inNamespace(SandboxFixture.NS).withLabel("app", name).list()
        .getItems().get(0);
  }

  private static Pod onlyPod(ReplicaSet rs) {
    List<Pod> pods = sandbox.client.pods().inNamespace(SandboxFixture.NS)
        .withLabel("pod-template-hash", rs.getMetadata().getLabels().get("pod-template-hash")).list().getItems();
    return pods.size() == 1 ? pods.get(0) : new Pod();
  }

  private static void annotate(ReplicaSet rs, String value) {
    sandbox.client.apps().replicaSets().inNamespace(SandboxFixture.NS).withName(rs.getMetadata().getName())
        .edit(r -> new ReplicaSetBuilder(r).editMetadata().addToAnnotations(InjectedCrash.ANNOTATION, value)
            .endMetadata().build());
  }

  private static List<Event> events(ReplicaSet rs) {
    return sandbox.client.v1().events().inNamespace(SandboxFixture.NS).list().getItems().stream()
        .filter(e -> rs.getMetadata().getName().equals(e.getInvolvedObject().getName())
            && "InvalidCrashInjection".equals(e.getReason()))
        .toList();
  }
}
