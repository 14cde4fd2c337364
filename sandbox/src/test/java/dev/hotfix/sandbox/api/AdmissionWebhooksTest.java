package dev.hotfix.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotfix.testing.Grants;
import dev.hotfix.testing.Kubectl;
import dev.hotfix.testing.Kubectl.Result;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Identities and admission webhooks on the sandbox with the real kubectl: who is asking
 * ({@code auth whoami}, {@code --as}), webhooks registered with {@code kubectl apply} and called
 * over HTTPS with real AdmissionReviews (a test server with a keytool certificate), patches that
 * land, denials and failures as upstream answers them.
 */
class AdmissionWebhooksTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path workDir;
  private static ApiServer api;
  private static KubernetesClient client;
  private static Kubectl kubectl;
  private static AdmissionReviewServer webhook;

  @BeforeAll
  static void start() throws Exception {
    api = ApiFixtures.startWithWidgets();
    client = api.client();
    kubectl = new Kubectl(api.writeKubeconfig(workDir.resolve("kubeconfig")));
    webhook = new AdmissionReviewServer(workDir);
    // the people of these tests may write widgets in default, through ordinary bindings
    client.resource(new ClusterRoleBuilder().withNewMetadata().withName("widget-writer").endMetadata()
        .addNewRule().withApiGroups("sandbox.test").withResources("widgets").withVerbs("create", "get", "list")
        .endRule().build()).create();
    for (String user : List.of("alice", "bob", "carol")) {
      Grants.bind(client, "default", "widget-writer", user);
    }
  }

  @AfterAll
  static void stop() {
    webhook.close();
    client.close();
    api.close();
  }

  @AfterEach
  void unregisterWebhooks() {
    kubectl.run("delete", "mutatingwebhookconfigurations,validatingwebhookconfigurations", "--all").assertOk();
  }

  @Test
  void whoamiNamesTheKubeconfigsUserAndTheImpersonatedOne() {
    Result admin = kubectl.run("auth", "whoami").assertOk();
    Result alice = kubectl.run("auth", "whoami", "--as", "alice", "--as-group", "sre", "--as-uid", "42").assertOk();
    Result account = kubectl.run("auth", "whoami", "--as", "system:serviceaccount:ops:deployer", "-o", "json")
        .assertOk();

    assertThat(admin.stdout()).containsPattern("Username\\s+sandbox-admin")
        .containsPattern("Groups\\s+\\[system:masters system:authenticated\\]");
    assertThat(alice.stdout()).containsPattern("Username\\s+alice").containsPattern("UID\\s+42")
        .containsPattern("Groups\\s+\\[sre system:authenticated\\]");
    assertThat(json(account.stdout()).path("status").path("userInfo").path("groups").toString())
        .isEqualTo("[\"system:serviceaccounts\",\"system:serviceaccounts:ops\",\"system:authenticated\"]");
    // access reviews answer from the Role that alice is bound to
    assertThat(kubectl.run("auth", "can-i", "create", "widgets", "--as", "alice").assertOk().stdout().trim())
        .isEqualTo("yes");
    assertThat(kubectl.run("auth", "can-i", "delete", "widgets", "--as", "alice").stdout().trim()).isEqualTo("no");
  }

  @Test
  void credentialsTheSandboxDidNotIssueAreRefused() {
    // kubectl sends no bearer token over plain HTTP, so a client that does
    Config guessed = new ConfigBuilder(Config.empty()).withMasterUrl(api.url().toString()).withOauthToken("guessed")
        .build();
    try (KubernetesClient stranger = new KubernetesClientBuilder().withConfig(guessed).build()) {
      assertThatThrownBy(() -> stranger.configMaps().inNamespace("default").list())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(401));
    }
  }

  @Test
  void impersonatingGroupsWithoutAUserIsRefusedWithWhatToAdd() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(api.url().resolve("/api/v1/namespaces"))
        .header("Impersonate-Group", "sre").build();

    HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response.body()).path("message").asText()).contains("add the Impersonate-User header");
  }

  @Test
  void kubectlAsAliceReachesTheWebhookWithAlicesUserInfo() {
    webhook.answer("/validate", request -> AdmissionReviewServer.allow());
    register("ValidatingWebhookConfiguration", "audit", "/validate", "CREATE", "Fail");

    kubectl.runWithInput(widget("by-alice"), "create", "-f", "-", "--as", "alice", "--as-group", "sre").assertOk();

    JsonNode request = onlyReviewOf("by-alice");
    assertThat(request.path("userInfo").path("username").asText()).isEqualTo("alice");
    assertThat(request.path("userInfo").path("groups").toString()).isEqualTo("[\"sre\",\"system:authenticated\"]");
    assertThat(request.path("operation").asText()).isEqualTo("CREATE");
    assertThat(request.path("kind").toString())
        .isEqualTo("{\"group\":\"sandbox.test\",\"version\":\"v1alpha1\",\"kind\":\"Widget\"}");
    assertThat(request.path("resource").path("resource").asText()).isEqualTo("widgets");
    assertThat(request.path("namespace").asText()).isEqualTo("default");
    assertThat(request.path("object").path("spec").path("severity").asText()).isEqualTo("Major");
    assertThat(request.path("oldObject").isNull()).isTrue();
    assertThat(request.path("dryRun").asBoolean(true)).isFalse();
    assertThat(request.path("options").path("kind").asText()).isEqualTo("CreateOptions");
    assertThat(request.path("uid").asText()).isNotEmpty();
  }

  @Test
  void fabric8ClientsImpersonateWithTheirConfig() {
    webhook.answer("/validate", request -> AdmissionReviewServer.allow());
    register("ValidatingWebhookConfiguration", "audit", "/validate", "CREATE", "Fail");
    Config asCarol = new ConfigBuilder(Config.empty()).withMasterUrl(api.url().toString()).withNamespace("default")
        .withImpersonateUsername("carol").withImpersonateGroups("approvers").build();

    try (KubernetesClient carol = new KubernetesClientBuilder().withConfig(asCarol).build()) {
      carol.resource(ApiFixtures.widget("by-carol")).create();
    }

    assertThat(onlyReviewOf("by-carol").path("userInfo").toString())
        .isEqualTo("{\"username\":\"carol\",\"groups\":[\"approvers\",\"system:authenticated\"]}");
  }

  @Test
  void aScaleWriteIsJudgedAsAScale() {
    client.apps().deployments().resource(ApiFixtures.deployment("scaled", "shop/app:1.0")).create();
    webhook.answer("/mutate", request -> AdmissionReviewServer.patch(JSON.createArrayNode().add(JSON.createObjectNode()
        .put("op", "replace").put("path", "/spec/replicas").put("value", 2))));
    registerAt("MutatingWebhookConfiguration", "cap-replicas", webhook.url("/mutate"),
        "{operations: [UPDATE], apiGroups: [apps], apiVersions: [v1], resources: [deployments/scale]}", "Fail");

    kubectl.run("scale", "deployment", "scaled", "--replicas", "5").assertOk();

    assertThat(client.apps().deployments().withName("scaled").get().getSpec().getReplicas()).isEqualTo(2);
    JsonNode request = onlyReviewOf("scaled");
    assertThat(request.path("kind").path("kind").asText()).isEqualTo("Scale");
    assertThat(request.path("subResource").asText()).isEqualTo("scale");
    assertThat(request.path("object").path("spec").path("replicas").asInt()).isEqualTo(5);
    assertThat(request.path("oldObject").path("spec").path("replicas").asInt()).isEqualTo(1);
  }

  @Test
  void aMutatingWebhooksPatchLandsInTheStoredObject() {
    webhook.answer("/mutate", request -> AdmissionReviewServer.patch(JSON.createArrayNode().add(JSON.createObjectNode()
        .put("op", "add").put("path", "/metadata/annotations")
        .set("value", JSON.createObjectNode().put("hotfix.dev/requested-by",
            request.path("userInfo").path("username").asText())))));
    register("MutatingWebhookConfiguration", "stamp", "/mutate", "CREATE", "Fail");

    Result created = kubectl.runWithInput(widget("stamped"), "create", "-f", "-", "--as", "bob", "-o", "json")
        .assertOk();

    assertThat(json(created.stdout()).path("metadata").path("annotations").path("hotfix.dev/requested-by").asText())
        .isEqualTo("bob");
    GenericKubernetesResource stored = widgets().withName("stamped").get();
    assertThat(stored.getMetadata().getAnnotations()).containsEntry("hotfix.dev/requested-by", "bob");
  }

  @Test
  void aValidatingDenialReachesKubectlWithUpstreamsMessageAndStoresNothing() {
    webhook.answer("/validate", request -> AdmissionReviewServer.deny("bob may not approve his own hotfix"));
    register("ValidatingWebhookConfiguration", "no-self-approval", "/validate", "CREATE", "Fail");

    Result result = kubectl.runWithInput(widget("self-approved"), "create", "-f", "-", "--as", "bob");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains("Error from server (Forbidden)").contains("admission webhook "
        + "\"no-self-approval.sandbox.test\" denied the request: bob may not approve his own hotfix");
    assertThat(widgets().withName("self-approved").get()).isNull();
  }

  @Test
  void aDeniedDeleteLeavesTheObject() {
    kubectl.runWithInput(widget("kept"), "create", "-f", "-").assertOk();
    webhook.answer("/validate", request -> AdmissionReviewServer.deny("widgets are forever"));
    register("ValidatingWebhookConfiguration", "keep", "/validate", "DELETE", "Fail");

    Result result = kubectl.run("delete", "widget", "kept");

    assertThat(result.stderr()).contains("admission webhook \"keep.sandbox.test\" denied the request: widgets are "
        + "forever");
    assertThat(widgets().withName("kept").get()).isNotNull();
    JsonNode request = onlyReviewOf("kept");
    assertThat(request.path("operation").asText()).isEqualTo("DELETE");
    assertThat(request.path("object").isNull()).isTrue();
    assertThat(request.path("oldObject").path("metadata").path("name").asText()).isEqualTo("kept");
  }

  @Test
  void withTheWebhookDownIgnoreLetsTheWriteThroughAndFailRefusesIt() throws IOException {
    String down = "https://127.0.0.1:" + closedPort() + "/validate";
    registerAt("ValidatingWebhookConfiguration", "lenient", down, widgetRule("CREATE"), "Ignore");

    kubectl.runWithInput(widget("let-through"), "create", "-f", "-").assertOk();
    kubectl.run("delete", "validatingwebhookconfiguration", "lenient").assertOk();
    registerAt("ValidatingWebhookConfiguration", "strict", down, widgetRule("CREATE"), "Fail");
    Result refused = kubectl.runWithInput(widget("refused"), "create", "-f", "-");

    assertThat(widgets().withName("let-through").get()).isNotNull();
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr()).contains("Error from server (InternalError)")
        .contains("Internal error occurred: failed calling webhook \"strict.sandbox.test\": failed to call webhook: "
            + "Post \"" + down + "?timeout=5s\": connect: connection refused");
    assertThat(widgets().withName("refused").get()).isNull();
  }

  @Test
  void aSlowWebhookHoldsUpOnlyTheWriteItJudges() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    webhook.answer("/validate", request -> {
      try {
        release.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return AdmissionReviewServer.allow();
    });
    register("ValidatingWebhookConfiguration", "slow", "/validate", "CREATE", "Fail");
    CompletableFuture<Result> judged = CompletableFuture.supplyAsync(
        () -> kubectl.runWithInput(widget("judged-slowly"), "create", "-f", "-"));
    await().atMost(Duration.ofSeconds(10)).until(() -> webhook.received().stream()
        .anyMatch(r -> r.path("name").asText().equals("judged-slowly")));

    // other writes go on meanwhile, the simulated cluster's included
    try (KubernetesClient controllers = api.controllersClient()) {
      controllers.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("meanwhile").endMetadata()
          .build()).create();
      controllers.resource(JSON.convertValue(json(widget("by-controllers")), GenericKubernetesResource.class))
          .create();
    }
    assertThat(judged).isNotDone();
    release.countDown();

    assertThat(judged.get(30, TimeUnit.SECONDS).assertOk().stdout()).contains("judged-slowly created");
    assertThat(webhook.received()).noneMatch(r -> r.path("name").asText().equals("by-controllers"));
  }

  @Test
  void webhooksRunAfterMutationAndBeforeValidationAsUpstreamOrdersThem() {
    // the mutating webhook fixes an invalid severity before the schema is checked; the validating one sees it fixed
    webhook.answer("/mutate", request -> AdmissionReviewServer.patch(JSON.createArrayNode().add(JSON.createObjectNode()
        .put("op", "replace").put("path", "/spec/severity").put("value", "Critical"))));
    webhook.answer("/validate", request -> AdmissionReviewServer.allow());
    register("MutatingWebhookConfiguration", "fix", "/mutate", "CREATE", "Fail");
    register("ValidatingWebhookConfiguration", "check", "/validate", "CREATE", "Fail");

    kubectl.runWithInput(widget("fixed").replace("Major", "Urgent"), "create", "-f", "-", "--validate=false")
        .assertOk();

    assertThat(widgets().withName("fixed").get().getAdditionalProperties().get("spec").toString())
        .contains("severity=Critical");
    List<JsonNode> reviews = reviewsOf("fixed");
    assertThat(reviews).hasSize(2);
    assertThat(reviews.get(1).path("object").path("spec").path("severity").asText()).isEqualTo("Critical");
  }

  @Test
  void aConfigurationTheSandboxCouldNotCallIsRefusedWhenApplied() {
    Result result = kubectl.runWithInput("""
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingWebhookConfiguration
        metadata:
          name: plain-http
        webhooks:
        - name: plain.sandbox.test
          clientConfig:
            url: http://127.0.0.1:8443/validate
          sideEffects: Some
          admissionReviewVersions: [v1beta1]
        """, "apply", "-f", "-");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains("The ValidatingWebhookConfiguration \"plain-http\" is invalid")
        .contains("webhooks[0].clientConfig.url: Invalid value: \"http://127.0.0.1:8443/validate\": 'https' is the "
            + "only allowed URL scheme")
        .contains("webhooks[0].sideEffects: Unsupported value: \"Some\"")
        .contains("webhooks[0].admissionReviewVersions: Required value");
  }

  /**
   * {@code dryRun=All} on create, update and patch, as kube-apiserver runs it: the webhooks are
   * asked (told {@code dryRun: true}, options {@code dryRun: [All]}), a mutating one's change is
   * in the answer, and nothing is stored. Seen failing with the store written on a dry run, and
   * with the review's dryRun left false.
   */
  @Test
  void aDryRunIsJudgedByTheWebhooksToldItIsOneAndStoresNothing() {
    webhook.answer("/stamp", request -> AdmissionReviewServer.patch(JSON.createArrayNode().add(JSON.createObjectNode()
        .put("op", "add").put("path", "/metadata/labels").set("value", JSON.createObjectNode().put("stamped", "yes")))));
    registerAt("MutatingWebhookConfiguration", "stamp", webhook.url("/stamp"), widgetRule("CREATE, UPDATE"), "Fail");

    GenericKubernetesResource created = widgets().resource(ApiFixtures.widget("dry-created")).dryRun().create();
    assertThat(created.getMetadata().getLabels()).containsEntry("stamped", "yes");
    assertThat(widgets().withName("dry-created").get()).as("a dry-run create stores nothing").isNull();

    GenericKubernetesResource stored = client.genericKubernetesResources(ApiFixtures.WIDGETS, "Widget")
        .inNamespace("default").resource(ApiFixtures.widget("dry-changed")).create();
    String version = stored.getMetadata().getResourceVersion();
    GenericKubernetesResource patched = widgets().withName("dry-changed").dryRun().patch(
        new io.fabric8.kubernetes.client.dsl.base.PatchContext.Builder()
            .withPatchType(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON).build(),
        "[{\"op\":\"replace\",\"path\":\"/spec/severity\",\"value\":\"Critical\"}]");
    assertThat(patched.getAdditionalProperties().get("spec").toString()).contains("severity=Critical");
    stored.getMetadata().setAnnotations(java.util.Map.of("edited", "by-update"));
    GenericKubernetesResource updated = widgets().resource(stored).dryRun().update();
    assertThat(updated.getMetadata().getAnnotations()).containsEntry("edited", "by-update");

    GenericKubernetesResource after = widgets().withName("dry-changed").get();
    assertThat(after.getMetadata().getResourceVersion()).as("dry-run patch and update store nothing")
        .isEqualTo(version);
    assertThat(after.getMetadata().getAnnotations()).doesNotContainKey("edited");
    assertThat(after.getAdditionalProperties().get("spec").toString()).contains("severity=Major");
    List<JsonNode> dryRuns = webhook.received().stream().filter(r -> r.path("name").asText().startsWith("dry-"))
        .filter(r -> r.path("dryRun").asBoolean()).toList();
    assertThat(dryRuns).extracting(r -> r.path("operation").asText() + " " + r.path("options").path("dryRun"))
        .containsExactly("CREATE [\"All\"]", "UPDATE [\"All\"]", "UPDATE [\"All\"]");
  }

  /** A validating webhook's denial of a dry run answers as it would the write; nothing stored either way. */
  @Test
  void aDryRunAWebhookDeniesIsRefusedAsTheWriteWouldBe() {
    webhook.answer("/validate", request -> request.path("dryRun").asBoolean()
        ? AdmissionReviewServer.deny("widgets need a ticket") : AdmissionReviewServer.allow());
    register("ValidatingWebhookConfiguration", "tickets", "/validate", "CREATE", "Fail");

    assertThatThrownBy(() -> widgets().resource(ApiFixtures.widget("dry-denied")).dryRun().create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(403);
          assertThat(e.getStatus().getMessage()).isEqualTo("admission webhook \"tickets.sandbox.test\" denied the "
              + "request: widgets need a ticket");
        });
    assertThat(widgets().withName("dry-denied").get()).isNull();
  }

  /** Registers a webhook of the test server for widgets. */
  private static void register(String kind, String name, String path, String operation, String failurePolicy) {
    registerAt(kind, name, webhook.url(path), widgetRule(operation), failurePolicy);
  }

  private static String widgetRule(String operation) {
    return "{operations: [" + operation + "], apiGroups: [sandbox.test], apiVersions: [\"*\"], resources: [widgets]}";
  }

  /** Registers a webhook with one rule with kubectl apply, as a user would. */
  private static void registerAt(String kind, String name, String url, String rule, String failurePolicy) {
    kubectl.runWithInput("""
        apiVersion: admissionregistration.k8s.io/v1
        kind: %s
        metadata:
          name: %s
        webhooks:
        - name: %s.sandbox.test
          clientConfig:
            url: %s
            caBundle: %s
          rules: [%s]
          failurePolicy: %s
          sideEffects: None
          admissionReviewVersions: [v1]
          timeoutSeconds: 5
        """.formatted(kind, name, name, url, webhook.caBundle(), rule, failurePolicy), "apply", "-f", "-")
        .assertOk();
  }

  private static String widget(String name) {
    return """
        apiVersion: sandbox.test/v1alpha1
        kind: Widget
        metadata:
          name: %s
        spec:
          severity: Major
          target: {name: checkout}
          containers: [{name: app, image: shop/checkout:1.4.2}]
        """.formatted(name);
  }

  private static io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<GenericKubernetesResource,
      io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
      io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>> widgets() {
    return client.genericKubernetesResources(ApiFixtures.WIDGETS, "Widget").inNamespace("default");
  }

  private static List<JsonNode> reviewsOf(String name) {
    return webhook.received().stream().filter(r -> r.path("name").asText().equals(name)).toList();
  }

  private static JsonNode onlyReviewOf(String name) {
    List<JsonNode> reviews = reviewsOf(name);
    assertThat(reviews).hasSize(1);
    return reviews.get(0);
  }

  private static JsonNode json(String text) {
    try {
      return text.trim().startsWith("{") ? JSON.readTree(text)
          : new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON or YAML: " + text, e);
    }
  }

  /** A loopback port nothing listens on (bound, then released). */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
