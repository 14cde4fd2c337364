package dev.hotfix.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixStatus;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.testing.Kubectl;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A person's session with the real kubectl against the sandbox, with no extra flags: the
 * everyday verbs work as on a real cluster. The steps build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SandboxKubectlTest {
  private static final String GOOD = "registry.example.com/checkout:1.4.1";
  private static final String CRASHING = "registry.example.com/checkout:1.4.2-crashloop";

  private static Sandbox sandbox;
  private static KubernetesClient client;
  private static Kubectl kubectl;
  private static Path dir;
  /** Every Deployment status the API served, in order (like upstream's rolling-update checks). */
  private static final List<Deployment> observed = new CopyOnWriteArrayList<>();
  private static SharedIndexInformer<Deployment> informer;

  @BeforeAll
  static void startSandbox(@TempDir Path tmp) {
    dir = tmp;
    sandbox = Sandbox.start(SandboxOptions.defaults().withPrometheus(false).withPodStartDelay(Duration.ofMillis(300)));
    client = sandbox.client();
    kubectl = new Kubectl(sandbox.writeKubeconfig(dir.resolve("kubeconfig")));
    informer = client.apps().deployments().inNamespace("default").inform(Informers.onChange(observed::add));
  }

  @AfterAll
  static void stopSandbox() {
    if (informer != null) {
      informer.close();
    }
    if (client != null) {
      client.close();
    }
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  @Order(1)
  void applyCreatesADeploymentThatBecomesAvailable() {
    kubectl.run("apply", "-f", "examples/checkout-deployment.yaml").assertOk();

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      String table = kubectl.run("get", "deploy,rs,pods").assertOk().stdout();
      assertThat(table).containsPattern("deployment.apps/checkout\\s+3/3\\s+3\\s+3");
      assertThat(table).containsPattern("replicaset.apps/checkout-\\w+\\s+3\\s+3\\s+3");
      assertThat(table.lines().filter(l -> l.matches("pod/checkout-\\S+\\s+1/1\\s+Running\\s+0\\s+.*"))).hasSize(3);
    });
  }

  @Test
  @Order(2)
  void setImageToACrashingTagNeverDropsAvailability() {
    kubectl.run("set", "image", "deployment/checkout", "app=" + CRASHING).assertOk();

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(kubectl.run("get", "pods").assertOk().stdout()).contains("CrashLoopBackOff"));
    Kubectl.Result status = kubectl.run("rollout", "status", "deployment/checkout", "--timeout=3s");
    assertThat(status.exitCode()).as("a crashing rollout must not complete").isNotZero();

    List<Deployment> afterFirstRollout = observed.stream()
        .dropWhile(d -> d.getStatus() == null || nullToZero(d.getStatus().getAvailableReplicas()) < 3).toList();
    assertThat(afterFirstRollout).isNotEmpty().allSatisfy(d -> {
      assertThat(nullToZero(d.getStatus().getAvailableReplicas())).as("available (maxUnavailable 0)")
          .isGreaterThanOrEqualTo(3);
      assertThat(nullToZero(d.getStatus().getReplicas())).as("pods (maxSurge 1)").isLessThanOrEqualTo(4);
    });
  }

  @Test
  @Order(3)
  void rolloutHistoryAndUndoBringItBack() {
    String history = kubectl.run("rollout", "history", "deployment/checkout").assertOk().stdout();
    assertThat(history).containsPattern("(?m)^1\\s").containsPattern("(?m)^2\\s");

    kubectl.run("rollout", "undo", "deployment/checkout").assertOk();
    kubectl.run("rollout", "status", "deployment/checkout", "--timeout=60s").assertOk();

    assertThat(kubectl.run("get", "deployment/checkout", "-o",
        "jsonpath={.spec.template.spec.containers[0].image} {.metadata.annotations.deployment\\.kubernetes\\.io/revision}")
        .assertOk().stdout()).isEqualTo(GOOD + " 3");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(kubectl.run("get", "pods").assertOk().stdout()).doesNotContain("CrashLoopBackOff"));
  }

  @Test
  @Order(4)
  void applyOfAChangedManifestReplacesListsInsteadOfAppending() throws Exception {
    String changed = Files.readString(Path.of("examples/checkout-deployment.yaml"))
        .replace("containerPort: 8080", "containerPort: 9090")
        .replace("{name: LOG_LEVEL, value: info}", "{name: LOG_FORMAT, value: json}");
    Path manifest = Files.writeString(dir.resolve("checkout-changed.yaml"), changed);

    kubectl.run("apply", "-f", manifest.toString()).assertOk();

    Deployment d = client.apps().deployments().inNamespace("default").withName("checkout").get();
    var container = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getPorts()).singleElement().satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(9090));
    assertThat(container.getEnv()).singleElement().satisfies(e -> assertThat(e.getName()).isEqualTo("LOG_FORMAT"));
    kubectl.run("rollout", "status", "deployment/checkout", "--timeout=60s").assertOk();
  }

  @Test
  @Order(5)
  void anInvalidHotfixIsRefusedByValidationAgainstTheServedSchema() {
    Kubectl.Result refused = kubectl.run("apply", "-f", "examples/expected-failures/unknown-severity.yaml");

    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr()).contains("spec.severity: Unsupported value: \"Urgent\"");
    assertThat(kubectl.run("get", "hf").assertOk().stdout() + kubectl.run("get", "hf").stderr())
        .contains("No resources found");
  }

  @Test
  @Order(6)
  void getWaitAndDeleteWorkOnHotfixes() throws Exception {
    kubectl.run("apply", "-f", "examples/hotfix-minimal.yaml").assertOk();
    assertThat(kubectl.run("get", "hf").assertOk().stdout())
        .containsPattern("NAME\\s+TARGET\\s+SEVERITY\\s+PHASE\\s+IMAGE\\s+AGE")
        .containsPattern("checkout-npe-fix\\s+checkout\\s+Major\\s+registry.example.com/checkout:1.4.1-hotfix.2");

    CompletableFuture<Kubectl.Result> waiting = CompletableFuture.supplyAsync(() -> kubectl.run("wait",
        "--for=jsonpath={.status.phase}=Succeeded", "hotfix/checkout-npe-fix", "--timeout=60s"));
    Hotfix hotfix = client.resources(Hotfix.class).inNamespace("default").withName("checkout-npe-fix").get();
    hotfix.setStatus(new HotfixStatus());
    hotfix.getStatus().phase = Phase.Succeeded;
    client.resource(hotfix).updateStatus();
    assertThat(waiting.get().assertOk().stdout()).contains("condition met");

    kubectl.run("delete", "hf", "checkout-npe-fix").assertOk();
    assertThat(kubectl.run("get", "hf").stderr()).contains("No resources found");
  }

  private static int nullToZero(Integer i) {
    return i == null ? 0 : i;
  }
}
