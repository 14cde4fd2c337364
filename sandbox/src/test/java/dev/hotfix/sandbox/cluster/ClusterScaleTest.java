package dev.hotfix.sandbox.cluster;

import dev.hotfix.sandbox.Informers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Many Deployments at once: every one rolls out, each costs a handful of API writes, and once
 * they are rolled out the cluster goes quiet (no write loops, no polling). The count defaults
 * to a size that keeps the suite fast; {@code -Dsandbox.scale.deployments=1000} measures the
 * sandbox's target size.
 */
@Tag("scale")
class ClusterScaleTest {

  @RegisterExtension static final SandboxFixture sandbox = new SandboxFixture();

  private static final int DEPLOYMENTS = Integer.getInteger("sandbox.scale.deployments", 150);

  @Test
  void manyDeploymentsRollOutAndThenTheClusterGoesQuiet() {
    AtomicLong changes = new AtomicLong();
    List<SharedIndexInformer<?>> watches = List.of(
        sandbox.client.apps().deployments().inNamespace(SandboxFixture.NS).inform(Informers.onAny(o -> changes.incrementAndGet())),
        sandbox.client.apps().replicaSets().inNamespace(SandboxFixture.NS).inform(Informers.onAny(o -> changes.incrementAndGet())),
        sandbox.client.pods().inNamespace(SandboxFixture.NS).inform(Informers.onAny(o -> changes.incrementAndGet())));
    try {
      var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long cpuBefore = os.getProcessCpuTime();
      long start = System.nanoTime();
      for (int i = 0; i < DEPLOYMENTS; i++) {
        sandbox.create(SandboxFixture.deployment("svc-" + i, "svc:1", 3).build());
      }
      await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
          .until(() -> sandbox.client.apps().deployments().inNamespace(SandboxFixture.NS).list().getItems().stream()
              .filter(d -> d.getStatus() != null && d.getStatus().getAvailableReplicas() != null
                  && d.getStatus().getAvailableReplicas() == 3 && d.getStatus().getUpdatedReplicas() == 3)
              .count() == DEPLOYMENTS);
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpuSeconds = (os.getProcessCpuTime() - cpuBefore) / 1e9;
      double workerCpu = workerCpuSeconds();

      // quiet: two polls two seconds apart see no new change (a write loop would never pass)
      long[] seen = {-1};
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(2))
          .until(() -> {
            long now = changes.get();
            boolean quiet = now == seen[0];
            seen[0] = now;
            return quiet;
          });
      double idleWorkerCpu = workerCpuSeconds() - workerCpu;

      System.out.printf(
          "scale: %d deployments x 3 pods rolled out in %.1fs wall, %.1fs CPU in all (mock server, cluster, test),"
              + " %.1fs CPU in the controllers' and kubelet's workers; %.1f object changes per deployment;"
              + " %.3fs worker CPU while quiet%n",
          DEPLOYMENTS, seconds, cpuSeconds, workerCpu, (double) changes.get() / DEPLOYMENTS, idleWorkerCpu);
      assertThat(sandbox.client.pods().inNamespace(SandboxFixture.NS).list().getItems()).hasSize(DEPLOYMENTS * 3);
      // creation (1) + RS create/scale/status (~4) + 3 pods x (create, bind, 2 statuses) + deployment statuses
      assertThat((double) changes.get() / DEPLOYMENTS).isLessThan(30);
    } finally {
      watches.forEach(SharedIndexInformer::stop);
    }
  }

  /** CPU spent so far by the live work-queue threads (named after their controller). */
  private static double workerCpuSeconds() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long nanos = 0;
    for (ThreadInfo info : threads.dumpAllThreads(false, false)) {
      String name = info.getThreadName();
      if (name.contains("-worker-") || name.endsWith("-timer")) {
        nanos += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return nanos / 1e9;
  }
}
