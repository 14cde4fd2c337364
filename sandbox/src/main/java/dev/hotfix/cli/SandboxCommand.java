package dev.hotfix.cli;

import dev.hotfix.sandbox.Sandbox;
import dev.hotfix.sandbox.SandboxOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sandbox}: an embedded cluster on loopback, until Ctrl-C or SIGTERM. */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
    description = {"Runs an embedded cluster on 127.0.0.1 until stopped (Ctrl-C / SIGTERM): an API server that "
        + "kubectl and the operator use unchanged, a simulated Deployment controller and kubelet, a simulated app "
        + "exposing request metrics, and a real Prometheus scraping it (when `prometheus` is on PATH).",
        "Image tags pick pod behaviour: crashloop, oom, initcrash, pullonce, unschedulable, unready, pullerr, "
            + "errors, slow, slowstop, smoke-pass and smoke-fail (exit 0 or 1, for a Job's pods); anything else is "
            + "healthy.",
        "To make a revision that was fine crash from now on: kubectl annotate rs NAME "
            + "sandbox.hotfix.dev/crash-since=$(date -u +%Y-%m-%dT%H:%M:%SZ)"})
final class SandboxCommand implements Callable<Integer> {

  @Option(names = "--kubeconfig", required = true, paramLabel = "FILE",
      description = "Where to write the kubeconfig for kubectl and `run`.")
  Path kubeconfig;

  @Option(names = "--port", defaultValue = "0", paramLabel = "PORT",
      description = "API server port on 127.0.0.1 (default: a free port).")
  int port;

  @Option(names = "--pod-start-delay", defaultValue = "PT1S", paramLabel = "DURATION",
      description = "How long a healthy pod takes to become ready, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration podStartDelay;

  @Option(names = "--no-prometheus", description = "Do not start Prometheus even if it is installed.")
  boolean noPrometheus;

  @Override
  public Integer call() throws Exception {
    SandboxOptions options = SandboxOptions.defaults()
        .withApiPort(port)
        .withPodStartDelay(podStartDelay)
        .withPrometheus(!noPrometheus);
    CountDownLatch stopped = new CountDownLatch(1);
    try (Sandbox sandbox = Sandbox.start(options)) {
      sandbox.writeKubeconfig(kubeconfig);
      System.out.println(sandbox.describe(kubeconfig));
      System.out.println("Press Ctrl-C to stop.");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        sandbox.close();
        stopped.countDown();
      }, "sandbox-shutdown"));
      stopped.await();
    }
    return 0;
  }
}
