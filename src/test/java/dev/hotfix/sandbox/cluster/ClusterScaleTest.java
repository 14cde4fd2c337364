package dev.hotfix.sandbox.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Many Deployments at once: every one rolls out, and the cluster's cost per pod stays small.
 * The count defaults to a size that keeps the suite fast; {@code -Dsandbox.scale.deployments=1000}
 * measures the sandbox's target size.
 */
class ClusterScaleTest {

  @RegisterExtension static final SandboxFixture sandbox = new SandboxFixture();

  private static final int DEPLOYMENTS = Integer.getInteger("sandbox.scale.deployments", 150);

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

  @Test
  void manyDeploymentsRollOut() {
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
    System.out.printf(
        "scale: %d deployments x 3 pods rolled out in %.1fs wall, %.1fs CPU in all (mock server, cluster, test),"
            + " %.1fs CPU in the controllers' and kubelet's workers%n",
        DEPLOYMENTS, seconds, cpuSeconds, workerCpuSeconds());
    assertThat(sandbox.client.pods().inNamespace(SandboxFixture.NS).list().getItems()).hasSize(DEPLOYMENTS * 3);
  }
}
