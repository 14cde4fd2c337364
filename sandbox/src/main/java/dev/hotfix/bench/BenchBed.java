package dev.hotfix.bench;

import dev.hotfix.sandbox.Sandbox;
import dev.hotfix.sandbox.SandboxOptions;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;

/**
 * One sandbox for a part of the benchmark: the cluster, its kubeconfig (for the operator
 * process and kubectl), the benchmark's own client and its {@link ClusterWatch}.
 */
final class BenchBed implements AutoCloseable {
  final Sandbox sandbox;
  final KubernetesClient client;
  final Path kubeconfig;
  final ClusterWatch watch;

  BenchBed(SandboxOptions options, Path workDir, String name, boolean watchPods) {
    sandbox = Sandbox.start(options);
    try {
      client = sandbox.client();
      kubeconfig = sandbox.writeKubeconfig(workDir.resolve(name + ".kubeconfig"));
      watch = new ClusterWatch(client, Workloads.NAMESPACE, watchPods);
    } catch (RuntimeException e) {
      sandbox.close();
      throw e;
    }
  }

  @Override
  public void close() {
    watch.close();
    client.close();
    sandbox.close();
  }
}
