package dev.hotfix.sandbox.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import dev.hotfix.sandbox.api.ApiServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Starting and stopping the cluster: registered node, one start only, no thread left behind. */
class SimulatedClusterLifecycleTest {

  private static final List<String> THREAD_PREFIXES =
      List.of("deployment-controller", "replicaset-controller", "kubelet", "garbage-collector", "event-recorder");

  @Test
  void startRegistersTheNodeAndCloseLeavesNoThreads() {
    ApiServer server = SandboxFixture.apiServer();
    try (KubernetesClient client = server.client()) {
      SimulatedCluster cluster = new SimulatedCluster(client, ClusterTiming.defaults());
      cluster.start();
      assertThat(clusterThreads()).isNotEmpty();
      assertThat(client.nodes().withName("sandbox-node").get().getStatus().getConditions())
          .anySatisfy(c -> assertThat(c.getType()).isEqualTo("Ready"));
      assertThatThrownBy(cluster::start).isInstanceOf(IllegalStateException.class);

      cluster.close();

      assertThat(clusterThreads()).isEmpty();
    } finally {
      server.close();
    }
  }

  private static List<String> clusterThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> THREAD_PREFIXES.stream().anyMatch(name::startsWith))
        .toList();
  }
}
