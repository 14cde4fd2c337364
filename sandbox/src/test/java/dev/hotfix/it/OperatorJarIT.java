package dev.hotfix.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotfix.testing.Kubectl;
import dev.hotfix.testing.SelfSignedCertificate;
import dev.hotfix.testing.WebhookRegistration;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar as a user runs it, after {@code package} (failsafe): {@code sandbox} and
 * {@code run} as two processes (run with its defaults: all namespaces), the examples applied with
 * kubectl, a crash-looping Hotfix followed to RolledBack with {@code kubectl wait}, the operator's
 * endpoints and admission webhook answering, {@code kubectl hotfix} finding the jar by itself,
 * SIGTERM ending both processes, and {@code demo}'s exit code. Each process is started and
 * stopped by its PID.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorJarIT {
  private static final Path JAR = Path.of(System.getProperty("hotfix.jar", "target/hotfix-operator.jar"))
      .toAbsolutePath();
  /** The container image's jar, without the sandbox: the operator runs from it, as in the image. */
  private static final Path IMAGE_JAR = Path.of(System.getProperty("hotfix.image.jar",
      "target/hotfix-operator-image.jar")).toAbsolutePath();
  /** What the JVM answers SIGTERM with once its shutdown hooks ran: 128 + 15. */
  private static final int TERMINATED = 143;
  private static final String CART = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: cart}
      spec:
        replicas: 2
        selector: {matchLabels: {app: cart}}
        strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 1}}
        template:
          metadata: {labels: {app: cart}}
          spec: {containers: [{name: app, image: registry.example.com/cart:2.0}]}
      ---
      apiVersion: hotfix.dev/v1alpha1
      kind: Hotfix
      metadata: {name: cart-crash}
      spec:
        severity: Critical
        reason: "integration test: a crash-looping image must be rolled back"
        target: {name: cart}
        containers: [{name: app, image: registry.example.com/cart:2.0.1-crashloop}]
        rollout: {maxSurge: 1, maxUnavailable: 0, podReadyTimeoutSeconds: 20}
        verification: {bakeSeconds: 2, intervalSeconds: 1}
      """;

  @TempDir
  static Path dir;
  private static Process sandbox;
  private static Process operator;
  private static Path kubeconfig;
  private static Kubectl kubectl;
  private static int metricsPort;
  private static int webhookPort;
  private static SelfSignedCertificate certificate;

  @BeforeAll
  static void start() throws Exception {
    assertThat(JAR).as("the shaded jar: run `mvn package` first").isRegularFile();
    assertThat(IMAGE_JAR).as("the image's jar: run `mvn package` first").isRegularFile();
    try (java.util.jar.JarFile image = new java.util.jar.JarFile(IMAGE_JAR.toFile())) {
      assertThat(image.stream().map(java.util.jar.JarEntry::getName)
          .filter(n -> n.startsWith("dev/hotfix/sandbox/") || n.startsWith("dev/hotfix/bench/")
              || n.startsWith("io/vertx/") || n.startsWith("io/fabric8/mockwebserver/")))
          .as("the image's jar ships no sandbox, benchmark, Vert.x or mock server").isEmpty();
    }
    kubeconfig = dir.resolve("kubeconfig");
    sandbox = java("sandbox.log", "sandbox", "--kubeconfig", kubeconfig.toString(), "--no-prometheus",
        "--pod-start-delay", "PT0.3S");
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(kubeconfig) || !sandbox.isAlive());
    assertThat(sandbox.isAlive()).as("sandbox: %s", log("sandbox.log")).isTrue();
    kubectl = new Kubectl(kubeconfig);
    await().atMost(Duration.ofSeconds(30)).until(() -> kubectl.run("get", "namespaces").exitCode() == 0);

    certificate = SelfSignedCertificate.forLoopback(dir, "webhook");
    certificate.writeTlsFiles(dir);
    metricsPort = freePort();
    webhookPort = freePort();
    Path identityKey = dir.resolve("identity.key");
    byte[] secret = new byte[48];
    new java.security.SecureRandom().nextBytes(secret);
    // as the chart's Secret holds it: text
    Files.writeString(identityKey, java.util.HexFormat.of().formatHex(secret));
    operator = java(IMAGE_JAR, "operator.log", "run", "--kubeconfig", kubeconfig.toString(),
        "--metrics-port", String.valueOf(metricsPort), "--webhook-port", String.valueOf(webhookPort),
        "--webhook-tls-cert", dir.resolve("tls.crt").toString(), "--webhook-tls-key", dir.resolve("tls.key").toString(),
        "--identity-key-file", identityKey.toString(),
        // the operator writes status as the kubeconfig's user, the sandbox's admin
        "--operator-user", "sandbox-admin");
    await().atMost(Duration.ofSeconds(60)).until(() -> readyz() == 200 || !operator.isAlive());
    assertThat(operator.isAlive()).as("operator: %s", log("operator.log")).isTrue();
    registerWebhook();
  }

  /**
   * Registers the operator's webhook with the sandbox as the Helm chart does, with kubectl: Hotfixes
   * created from now on carry the identity the webhook proved, which the operator requires.
   */
  private static void registerWebhook() throws Exception {
    String url = "https://127.0.0.1:" + webhookPort;
    Path configurations = dir.resolve("webhooks.yaml");
    Files.writeString(configurations, WebhookRegistration.yaml(url, certificate.pem()));
    kubectl.run("apply", "-f", configurations.toString()).assertOk();
  }

  @AfterAll
  static void stop() {
    // by PID, whatever a failed test left running
    for (Process p : new Process[] {operator, sandbox}) {
      if (p != null && p.isAlive()) {
        ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  @Test
  @Order(1)
  void theExamplesApplyAndACrashLoopIsRolledBack() throws Exception {
    // every example; but the approval is another person's to give (the webhook refuses a requester
    // approving their own Hotfix), and the policy (which allows only the example's repositories
    // and break-glass group) is only checked by the server, so it does not govern the cart below
    try (var examples = Files.list(Path.of("examples"))) {
      for (Path example : examples.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        String file = example.getFileName().toString();
        if (file.equals("hotfix-policy.yaml")) {
          kubectl.run("apply", "--dry-run=server", "-f", example.toAbsolutePath().toString()).assertOk();
        } else if (!file.equals("hotfix-approval.yaml")) {
          kubectl.run("apply", "-f", example.toAbsolutePath().toString()).assertOk();
        }
      }
    }
    Path cart = dir.resolve("cart.yaml");
    Files.writeString(cart, CART);
    kubectl.run("apply", "-f", cart.toString()).assertOk();

    Kubectl.Result waited = kubectl.run("wait", "--for=jsonpath={.status.phase}=RolledBack", "hotfix/cart-crash",
        "--timeout=120s");

    assertThat(waited.exitCode()).as("kubectl wait: %s %s; operator log: %s", waited.stdout(), waited.stderr(),
        log("operator.log")).isZero();
    assertThat(kubectl.run("get", "deployment", "cart", "-o", "jsonpath={.spec.template.spec.containers[0].image}")
        .assertOk().stdout()).isEqualTo("registry.example.com/cart:2.0");
    assertThat(kubectl.run("get", "hotfix", "checkout-cve-2026-1234").assertOk().stdout())
        .as("the examples' Hotfix is served").contains("checkout");
  }

  @Test
  @Order(2)
  void theEndpointsAnswer() throws Exception {
    assertThat(readyz()).isEqualTo(200);
    String metrics = get("http://127.0.0.1:" + metricsPort + "/metrics").body();
    assertThat(metrics).contains("hotfix_rollbacks_total{", "reason=\"pod_fault\"", "hotfix_phase{");
    assertThat(get("http://127.0.0.1:" + metricsPort + "/healthz").statusCode()).isEqualTo(200);
  }

  @Test
  @Order(3)
  void theWebhookFlagsServeAdmissionReviewsOverTls() throws Exception {
    HttpClient tls = HttpClient.newBuilder().sslContext(certificate.clientContext()).build();
    String review = """
        {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
         "request": {"uid": "it-1",
                     "kind": {"group": "hotfix.dev", "version": "v1alpha1", "kind": "HotfixApproval"},
                     "resource": {"group": "hotfix.dev", "version": "v1alpha1", "resource": "hotfixapprovals"},
                     "namespace": "default", "operation": "CREATE",
                     "userInfo": {"username": "alice", "uid": "u-alice", "groups": []},
                     "object": {"apiVersion": "hotfix.dev/v1alpha1", "kind": "HotfixApproval",
                                "metadata": {"name": "cart-crash-alice", "namespace": "default"},
                                "spec": {"hotfix": "cart-crash", "decision": "Approve"}},
                     "dryRun": false}}""";

    HttpResponse<String> answer = tls.send(HttpRequest.newBuilder(
            URI.create("https://127.0.0.1:" + webhookPort + "/mutate"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(review)).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).contains("\"uid\":\"it-1\"", "\"allowed\":true");
  }

  @Test
  @Order(4)
  void kubectlHotfixFindsTheJarByItself() {
    Kubectl.Result status = kubectl.plugin(Map.of("PATH", Path.of("scripts").toAbsolutePath() + ":"
        + System.getenv("PATH")), "hotfix", "status", "cart-crash");

    assertThat(status.exitCode()).as(status.stderr()).isZero();
    assertThat(status.stdout()).contains("cart-crash", "RolledBack");
  }

  @Test
  @Order(5)
  void sigtermStopsTheOperatorThenTheSandbox() throws Exception {
    assertThat(terminate(operator)).as("operator exit code; log: %s", log("operator.log")).isEqualTo(TERMINATED);
    assertThat(terminate(sandbox)).as("sandbox exit code; log: %s", log("sandbox.log")).isEqualTo(TERMINATED);
  }

  @Test
  @Order(6)
  void theDemoEndsAsScriptedAndExitsZero() throws Exception {
    Process demo = java("demo.log", "demo");
    assertThat(demo.waitFor(5, TimeUnit.MINUTES)).as("demo finished").isTrue();
    assertThat(demo.exitValue()).as("demo: %s", log("demo.log")).isZero();
    String output = log("demo.log");
    if (!output.contains("== Skipping the third hot fix")) {
      assertThat(output).as("the errors act runs on a canary of 1 pod")
          .containsPattern("canary pod +checkout-\\S+ created, app=registry.example.com/checkout:1.4.4-errors")
          .containsPattern("\n +1 pod ran the new image, for \\d+s before the verdict, and was rolled back; the 3 "
              + "old pods kept serving \\(ready replicas never below 3 of 3\\)\n");
    }
  }

  /** SIGTERM by PID (what Kubernetes and Ctrl-C send), then the exit code. */
  private static int terminate(Process p) throws InterruptedException {
    ProcessHandle.of(p.pid()).orElseThrow().destroy();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s of SIGTERM").isTrue();
    return p.exitValue();
  }

  private static Process java(String logFile, String... args) throws IOException {
    return java(JAR, logFile, args);
  }

  private static Process java(Path jar, String logFile, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    Path logPath = dir.resolve(logFile);
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logPath.toFile()).start();
  }

  private static String log(String file) {
    try {
      return Files.readString(dir.resolve(file));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static int readyz() {
    try {
      return get("http://127.0.0.1:" + metricsPort + "/readyz").statusCode();
    } catch (Exception notYet) {
      return -1;
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
