package dev.hotfix.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotfix.testing.Kubectl;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kubectl's {@code rollout status/history/undo} on a DaemonSet in the sandbox (three
 * nodes, one pod each), as on a real cluster. The steps build on each other.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SandboxDaemonSetKubectlTest {
  private static final String GOOD = "registry.example.com/node-agent:3.1.0";
  private static final String CRASHING = "registry.example.com/node-agent:3.1.1-crashloop";

  private static Sandbox sandbox;
  private static Kubectl kubectl;

  @BeforeAll
  static void startSandbox(@TempDir Path tmp) {
    sandbox = Sandbox.start(SandboxOptions.defaults().withPrometheus(false).withPodStartDelay(Duration.ofMillis(300)));
    kubectl = new Kubectl(sandbox.writeKubeconfig(tmp.resolve("kubeconfig")));
  }

  @AfterAll
  static void stopSandbox() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  @Order(1)
  void applyPutsOnePodOnEachNode() {
    kubectl.run("apply", "-f", "examples/node-agent-daemonset.yaml").assertOk();

    String status = kubectl.run("rollout", "status", "daemonset/node-agent", "--timeout=60s").assertOk().stdout();

    assertThat(status).contains("daemon set \"node-agent\" successfully rolled out");
    assertThat(kubectl.run("get", "ds").assertOk().stdout())
        .containsPattern("node-agent\\s+3\\s+3\\s+3\\s+3\\s+3\\s+<none>");
    assertThat(kubectl.run("get", "pods", "-o", "wide").assertOk().stdout())
        .containsPattern("(?m)sandbox-node$").contains("sandbox-node-2", "sandbox-node-3");
  }

  @Test
  @Order(2)
  void aCrashingImageStopsAfterOneNode() {
    kubectl.run("set", "image", "daemonset/node-agent", "agent=" + CRASHING).assertOk();

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(kubectl.run("get", "pods").assertOk().stdout()).containsPattern("0/1\\s+(CrashLoopBackOff|Error)"));
    Kubectl.Result status = kubectl.run("rollout", "status", "daemonset/node-agent", "--timeout=3s");
    assertThat(status.exitCode()).as("a crashing rollout must not complete").isNotZero();
    assertThat(status.stdout()).contains("1 out of 3 new pods have been updated");
  }

  @Test
  @Order(3)
  void undoRestoresTheFirstRevisionOnEveryNode() {
    assertThat(kubectl.run("rollout", "history", "daemonset/node-agent").assertOk().stdout())
        .containsPattern("(?m)^1\\s").containsPattern("(?m)^2\\s");

    kubectl.run("rollout", "undo", "daemonset/node-agent").assertOk();
    kubectl.run("rollout", "status", "daemonset/node-agent", "--timeout=60s").assertOk();

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(kubectl.run("get", "pods", "-o", "jsonpath={.items[*].spec.containers[0].image}").assertOk()
            .stdout()).isEqualTo(GOOD + " " + GOOD + " " + GOOD));
    assertThat(kubectl.run("rollout", "history", "daemonset/node-agent").assertOk().stdout())
        .containsPattern("(?m)^2\\s").containsPattern("(?m)^3\\s").doesNotContainPattern("(?m)^1\\s");
  }
}
