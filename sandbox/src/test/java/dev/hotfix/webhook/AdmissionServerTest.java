package dev.hotfix.webhook;

import static dev.hotfix.testing.IdentityStamps.TEST_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotfix.api.v1alpha1.Approvers;
import dev.hotfix.api.v1alpha1.ContainerImage;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixApproval;
import dev.hotfix.api.v1alpha1.HotfixPolicy;
import dev.hotfix.api.v1alpha1.HotfixPolicySpec;
import dev.hotfix.api.v1alpha1.HotfixSpec;
import dev.hotfix.api.v1alpha1.Severity;
import dev.hotfix.api.v1alpha1.TargetRef;
import dev.hotfix.json.KubernetesJson;
import dev.hotfix.policy.IdentityAnnotations;
import dev.hotfix.sandbox.api.ApiServer;
import dev.hotfix.sandbox.api.ApiServerOptions;
import dev.hotfix.testing.SelfSignedCertificate;
import dev.hotfix.testing.SelfSignedCertificate.KeyEncoding;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.zjsonpatch.JsonPatch;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admission webhook over real HTTPS, as the API server calls it: AdmissionReview JSON posted
 * to {@code /mutate} and {@code /validate}, with a certificate keytool made for 127.0.0.1, read
 * from PEM files, and a JDK HttpClient that trusts only that certificate. The Hotfixes and the
 * policy it checks against live in the sandbox API server.
 */
class AdmissionServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OPERATOR = "system:serviceaccount:hotfix-system:hotfix-operator";

  @TempDir
  static Path dir;
  private static ApiServer api;
  private static KubernetesClient client;
  private static AdmissionServer webhook;
  private static HttpClient http;
  private static SelfSignedCertificate certificate;

  @BeforeAll
  static void start() throws Exception {
    certificate = SelfSignedCertificate.forLoopback(dir, "webhook");
    certificate.writeTlsFiles(dir);

    api = ApiServer.start(ApiServerOptions.defaults());
    client = api.client();
    webhook = AdmissionServer.start(new InetSocketAddress("127.0.0.1", 0), dir.resolve("tls.crt"),
        dir.resolve("tls.key"), client, TEST_KEY, OPERATOR);
    http = HttpClient.newBuilder().sslContext(certificate.clientContext()).build();

    client.resource(hotfix("default", "fix-by-alice", "alice")).create();
  }

  @AfterAll
  static void stop() {
    if (webhook != null) {
      webhook.close();
    }
    if (client != null) {
      client.close();
    }
    if (api != null) {
      api.close();
    }
  }

  @Test
  void mutateStampsTheRequesterOnAHotfixOverwritingWhatTheClientClaimed() throws Exception {
    String object = """
        {"apiVersion": "hotfix.dev/v1alpha1", "kind": "Hotfix",
         "metadata": {"name": "fix-2", "namespace": "default",
                      "annotations": {"hotfix.dev/requested-by": "mallory", "team": "checkout"}},
         "spec": {"severity": "Major", "reason": "NPE", "target": {"name": "web"},
                  "containers": [{"name": "app", "image": "web:1.1"}]}}""";

    JsonNode response = post("/mutate", review("Hotfix", "CREATE", "alice", List.of("devs", "system:authenticated"),
        object, null)).path("response");

    assertThat(response.path("uid").asText()).isEqualTo("uid-1");
    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.path("patchType").asText()).isEqualTo("JSONPatch");
    JsonNode patched = JsonPatch.apply(patchOf(response), JSON.readTree(object));
    assertThat(withoutProof(patched)).isEqualTo(Map.of(
        IdentityAnnotations.REQUESTED_BY, "alice",
        IdentityAnnotations.REQUESTED_BY_GROUPS, "devs,system:authenticated",
        "team", "checkout"));
    Hotfix stored = KubernetesJson.MAPPER.treeToValue(patched, Hotfix.class);
    assertThat(TEST_KEY.verifies(stored)).as("the operator can check the stamp").isTrue();
    stored.getMetadata().getAnnotations().put(IdentityAnnotations.REQUESTED_BY, "mallory");
    assertThat(TEST_KEY.verifies(stored)).as("a changed name breaks it").isFalse();
  }

  @Test
  void mutateRefusesAnObjectWithoutAName() throws Exception {
    String object = """
        {"apiVersion": "hotfix.dev/v1alpha1", "kind": "Hotfix",
         "metadata": {"generateName": "fix-", "namespace": "default"},
         "spec": {"severity": "Major", "reason": "NPE", "target": {"name": "web"},
                  "containers": [{"name": "app", "image": "web:1.1"}]}}""";

    JsonNode response = post("/mutate", review("Hotfix", "CREATE", "alice", List.of(), object, null))
        .path("response");

    assertThat(response.path("allowed").asBoolean()).isFalse();
    assertThat(response.path("status").path("message").asText()).startsWith("set metadata.name:");
  }

  @Test
  void statusWritesAreTheOperatorsAlone() throws Exception {
    String before = """
        {"apiVersion": "hotfix.dev/v1alpha1", "kind": "Hotfix",
         "metadata": {"name": "fix-by-alice", "namespace": "default"},
         "spec": {"severity": "Major"}, "status": {"phase": "AwaitingApproval"}}""";
    String forged = before.replace("AwaitingApproval", "RollingOut");

    JsonNode refused = post("/validate", review("Hotfix", "status", "UPDATE", "alice", List.of(), forged, before))
        .path("response");
    assertThat(refused.path("allowed").asBoolean()).isFalse();
    assertThat(refused.path("status").path("message").asText()).isEqualTo("the status of Hotfix fix-by-alice is "
        + "written by the hotfix-operator (" + OPERATOR + ") alone, not by alice: to roll back, set spec.abort: true "
        + "(kubectl hotfix rollback); to approve, create a HotfixApproval");
    assertThat(post("/validate", review("Hotfix", "status", "UPDATE", OPERATOR, List.of(), forged, before))
        .path("response").path("allowed").asBoolean()).isTrue();
    assertThat(post("/validate", review("HotfixApproval", "status", "UPDATE", "bob", List.of(),
        approval("default", "fix-by-alice", "Approve"), approval("default", "fix-by-alice", "Approve")))
        .path("response").path("allowed").asBoolean()).isFalse();
  }

  @Test
  void mutateStampsTheApproverOnAHotfixApprovalWithoutAnnotations() throws Exception {
    String object = """
        {"apiVersion": "hotfix.dev/v1alpha1", "kind": "HotfixApproval",
         "metadata": {"name": "fix-by-alice-bob", "namespace": "default"},
         "spec": {"hotfix": "fix-by-alice", "decision": "Approve"}}""";

    JsonNode response = post("/mutate", review("HotfixApproval", "CREATE", "bob", List.of(), object, null))
        .path("response");

    JsonNode patched = JsonPatch.apply(patchOf(response), JSON.readTree(object));
    String uid = client.resources(Hotfix.class).inNamespace("default").withName("fix-by-alice").get().getMetadata()
        .getUid();
    assertThat(withoutProof(patched)).isEqualTo(Map.of(IdentityAnnotations.APPROVED_BY, "bob",
        IdentityAnnotations.HOTFIX_UID, uid));
    assertThat(TEST_KEY.verifies(KubernetesJson.MAPPER.treeToValue(patched, HotfixApproval.class))).isTrue();
  }

  @Test
  void validateRefusesSelfApprovalAndSaysWhatToDo() throws Exception {
    JsonNode self = post("/validate", review("HotfixApproval", "CREATE", "alice", List.of(),
        approval("default", "fix-by-alice", "Approve"), null)).path("response");

    assertThat(self.path("allowed").asBoolean()).isFalse();
    assertThat(self.path("status").path("code").asInt()).isEqualTo(403);
    assertThat(self.path("status").path("message").asText()).isEqualTo("four eyes: alice requested Hotfix "
        + "fix-by-alice and cannot approve it; ask another approver to create the HotfixApproval");

    JsonNode other = post("/validate", review("HotfixApproval", "CREATE", "bob", List.of(),
        approval("default", "fix-by-alice", "Approve"), null)).path("response");
    assertThat(other.path("allowed").asBoolean()).isTrue();
  }

  @Test
  void validateRefusesApproversNotOnThePolicysList() throws Exception {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("team-b").endMetadata().build())
        .create();
    client.resource(hotfix("team-b", "fix-b", "alice")).create();
    HotfixPolicy policy = new HotfixPolicy();
    policy.getMetadata().setName(HotfixPolicy.DEFAULT_NAME);
    policy.getMetadata().setNamespace("team-b");
    policy.setSpec(new HotfixPolicySpec());
    policy.getSpec().approvers = new Approvers();
    policy.getSpec().approvers.users = List.of("carol");
    policy.getSpec().approvers.groups = List.of("sre-leads");
    client.resource(policy).create();
    String approval = approval("team-b", "fix-b", "Approve");

    JsonNode bob = post("/validate", review("HotfixApproval", "CREATE", "bob", List.of("devs"), approval, null))
        .path("response");
    assertThat(bob.path("allowed").asBoolean()).isFalse();
    assertThat(bob.path("status").path("message").asText()).isEqualTo("bob is not on the approvers list of "
        + "HotfixPolicy default in namespace team-b (users [carol], groups [sre-leads]): ask one of them to decide, "
        + "or ask the policy's owners to add you");

    assertThat(post("/validate", review("HotfixApproval", "CREATE", "carol", List.of(), approval, null))
        .path("response").path("allowed").asBoolean()).isTrue();
    assertThat(post("/validate", review("HotfixApproval", "CREATE", "dave", List.of("sre-leads"), approval, null))
        .path("response").path("allowed").asBoolean()).as("by group").isTrue();
  }

  @Test
  void validateRefusesAnApprovalOfAHotfixThatDoesNotExist() throws Exception {
    JsonNode response = post("/validate", review("HotfixApproval", "CREATE", "bob", List.of(),
        approval("default", "no-such-fix", "Approve"), null)).path("response");

    assertThat(response.path("allowed").asBoolean()).isFalse();
    assertThat(response.path("status").path("message").asText()).contains("Hotfix \"no-such-fix\", which does not "
        + "exist in namespace default: fix spec.hotfix");
  }

  @Test
  void validateRefusesChangesToIdentityAnnotationsButNotOtherUpdates() throws Exception {
    String before = """
        {"apiVersion": "hotfix.dev/v1alpha1", "kind": "Hotfix",
         "metadata": {"name": "fix-by-alice", "namespace": "default",
                      "annotations": {"hotfix.dev/requested-by": "alice"}},
         "spec": {"severity": "Major", "abort": false}}""";
    String forged = before.replace("\"alice\"", "\"bob\"");
    String aborted = before.replace("\"abort\": false", "\"abort\": true");

    JsonNode refused = post("/validate", review("Hotfix", "UPDATE", "bob", List.of(), forged, before)).path("response");
    assertThat(refused.path("allowed").asBoolean()).isFalse();
    assertThat(refused.path("status").path("message").asText()).isEqualTo("the annotation hotfix.dev/requested-by of "
        + "Hotfix fix-by-alice records who created it, stamped by the admission webhook, and cannot be changed or "
        + "removed: leave them as they are");
    assertThat(post("/validate", review("Hotfix", "UPDATE", "bob", List.of(), aborted, before)).path("response")
        .path("allowed").asBoolean()).isTrue();
  }

  @Test
  void anythingButAnAdmissionReviewIsABadRequest() throws Exception {
    HttpResponse<String> get = http.send(HttpRequest.newBuilder(url("/validate")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> notAReview = http.send(HttpRequest.newBuilder(url("/validate"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\": \"v1\", \"kind\": \"Pod\"}")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(notAReview.statusCode()).isEqualTo(400);
    assertThat(notAReview.body()).contains("register the webhook with admissionReviewVersions: [v1]");
  }

  @Test
  void anRsaKeyInPkcs1AsCertManagerWritesItServesToo() throws Exception {
    Path pkcs1 = Files.createDirectories(dir.resolve("pkcs1"));
    certificate.writeTlsFiles(pkcs1, KeyEncoding.TRADITIONAL);
    assertThat(Files.readString(pkcs1.resolve("tls.key"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");

    try (AdmissionServer second = AdmissionServer.start(new InetSocketAddress("127.0.0.1", 0),
        pkcs1.resolve("tls.crt"), pkcs1.resolve("tls.key"), client, TEST_KEY, OPERATOR)) {
      assertThat(deleteReviewAllowed(http, second)).isTrue();
    }
  }

  /**
   * cert-manager renews into the mounted Secret (a symlink swap); the next TLS handshake presents
   * the new certificate, an EC one, without a restart, and a half-written renewal keeps the working
   * one. Seen failing with the certificate read once at start (the old certificate stays).
   */
  @Test
  void aRenewedCertificateWithAnEcKeyIsPresentedFromTheNextHandshake() throws Exception {
    Path secret = Files.createDirectories(dir.resolve("rotating"));
    certificate.mountAsSecret(secret, KeyEncoding.TRADITIONAL);
    SelfSignedCertificate renewed = SelfSignedCertificate.forLoopback(dir, "renewed", "EC");

    try (AdmissionServer rotating = AdmissionServer.start(new InetSocketAddress("127.0.0.1", 0),
        secret.resolve("tls.crt"), secret.resolve("tls.key"), client, TEST_KEY, OPERATOR)) {
      assertThat(presented(rotating, renewed)).isEqualTo(certificate.certificate());

      renewed.mountAsSecret(secret, KeyEncoding.TRADITIONAL);
      assertThat(Files.readString(secret.resolve("tls.key"))).startsWith("-----BEGIN EC PRIVATE KEY-----");

      assertThat(presented(rotating, renewed)).isEqualTo(renewed.certificate());
      HttpClient trustingRenewed = HttpClient.newBuilder().sslContext(renewed.clientContext()).build();
      assertThat(deleteReviewAllowed(trustingRenewed, rotating)).isTrue();

      // the key of the next renewal only half written: the working pair stays
      String key = Files.readString(secret.resolve("tls.key"));
      Files.writeString(secret.resolve("tls.key"), key.substring(0, key.length() / 2));
      assertThat(presented(rotating, renewed)).isEqualTo(renewed.certificate());
      assertThat(deleteReviewAllowed(HttpClient.newBuilder().sslContext(renewed.clientContext()).build(), rotating))
          .isTrue();
    }
  }

  /**
   * Two slow TLS clients, one stalled in its handshake and one sending its headers a byte at a
   * time, do not hold up a third client's AdmissionReview: it is answered while both are still
   * connected. Both are then cut off before they ever finish. Seen failing with the webhook's
   * former 2 threads (the review is answered only after the slow clients are cut off) and without
   * the request time limit (the slow clients are never cut off).
   */
  @Test
  void slowTlsClientsNeitherHoldUpOthersNorStayConnected() throws Exception {
    try (Socket stalledHandshake = new Socket("127.0.0.1", webhook.port());
        SSLSocket slowHeaders = (SSLSocket) certificate.clientContext().getSocketFactory()
            .createSocket("127.0.0.1", webhook.port())) {
      // the header of a TLS handshake record announcing a 512-byte ClientHello that never comes
      stalledHandshake.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00});
      stalledHandshake.getOutputStream().flush();
      slowHeaders.startHandshake();
      CompletableFuture<Void> handshakeCut = closedByServer(stalledHandshake);
      CompletableFuture<Void> headersCut = closedByServer(slowHeaders);
      String request = "POST /validate HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + "s".repeat(500);
      AtomicInteger sent = new AtomicInteger();
      Thread drip = new Thread(() -> {
        try {
          for (char c : request.toCharArray()) {
            slowHeaders.getOutputStream().write(c);
            slowHeaders.getOutputStream().flush();
            sent.incrementAndGet();
            Thread.sleep(200);
          }
        } catch (IOException | InterruptedException cutOff) {
          // what the server should do to it
        }
      }, "slowloris");
      drip.setDaemon(true);
      drip.start();
      await().until(() -> sent.get() > 0);

      assertThat(deleteReviewAllowed(http, webhook)).isTrue();

      assertThat(handshakeCut).as("the stalled handshake was still connected when the review was answered")
          .isNotDone();
      assertThat(headersCut).as("the slow headers were still connected when the review was answered").isNotDone();
      await().atMost(Duration.ofSeconds(60)).until(() -> handshakeCut.isDone() && headersCut.isDone());
      assertThat(sent.get()).as("cut off before the request was whole").isLessThan(request.length());
      drip.interrupt();
    }
  }

  /** Completes when the server closes {@code socket} (end of stream or a reset), read on a thread of its own. */
  private static CompletableFuture<Void> closedByServer(Socket socket) {
    CompletableFuture<Void> closed = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try {
        InputStream in = socket.getInputStream();
        while (in.read() >= 0) {
          // a TLS alert, then the end
        }
      } catch (IOException reset) {
        // closed too
      }
      closed.complete(null);
    }, "closed-by-server");
    reader.setDaemon(true);
    reader.start();
    return closed;
  }

  /** The leaf certificate {@code server} presents to a new client that trusts it and {@code other}. */
  private static Certificate presented(AdmissionServer server, SelfSignedCertificate other) throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("first", certificate.certificate());
    trusted.setCertificateEntry("other", other.certificate());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trusted);
    // a new context each time: no session to resume, so a full handshake
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", server.port())) {
      socket.startHandshake();
      return socket.getSession().getPeerCertificates()[0];
    }
  }

  private static boolean deleteReviewAllowed(HttpClient client, AdmissionServer server) throws Exception {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port()
        + "/mutate")).timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(review("Hotfix",
        "DELETE", "bob", List.of(), null, null))).build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body()).path("response").path("allowed").asBoolean();
  }

  private static JsonNode post(String path, String review) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(url(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(review)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static URI url(String path) {
    return URI.create("https://127.0.0.1:" + webhook.port() + path);
  }

  private static JsonNode patchOf(JsonNode response) throws IOException {
    return JSON.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
  }

  private static Map<String, String> withoutProof(JsonNode object) {
    @SuppressWarnings("unchecked")
    Map<String, String> annotations = JSON.convertValue(object.path("metadata").path("annotations"), Map.class);
    assertThat(annotations).containsKey(IdentityAnnotations.PROOF);
    annotations.remove(IdentityAnnotations.PROOF);
    return annotations;
  }

  /** An AdmissionReview as the API server sends it (the fields the webhook reads, and a few more). */
  private static String review(String kind, String operation, String user, List<String> groups, String object,
      String oldObject) throws IOException {
    return review(kind, "", operation, user, groups, object, oldObject);
  }

  /** The same, for a subresource ({@code status}) when not empty. */
  private static String review(String kind, String subResource, String operation, String user, List<String> groups,
      String object, String oldObject) throws IOException {
    String resource = kind.equals("Hotfix") ? "hotfixes" : "hotfixapprovals";
    return """
        {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
         "request": {"uid": "uid-1",
                     "kind": {"group": "hotfix.dev", "version": "v1alpha1", "kind": "%s"},
                     "resource": {"group": "hotfix.dev", "version": "v1alpha1", "resource": "%s"},
                     "subResource": "%s",
                     "requestKind": {"group": "hotfix.dev", "version": "v1alpha1", "kind": "%s"},
                     "namespace": "%s", "operation": "%s",
                     "userInfo": {"username": "%s", "uid": "u-%s", "groups": %s},
                     "object": %s, "oldObject": %s, "dryRun": false,
                     "options": {"apiVersion": "meta.k8s.io/v1", "kind": "CreateOptions"}}}"""
        .formatted(kind, resource, subResource, kind, object == null ? "default" : JSON.readTree(object).path("metadata")
            .path("namespace").asText(), operation, user, user, JSON.writeValueAsString(groups), object, oldObject);
  }

  private static String approval(String namespace, String hotfix, String decision) {
    return """
        {"apiVersion": "hotfix.dev/v1alpha1", "kind": "HotfixApproval",
         "metadata": {"name": "%s-review", "namespace": "%s"},
         "spec": {"hotfix": "%s", "decision": "%s"}}""".formatted(hotfix, namespace, hotfix, decision);
  }

  private static Hotfix hotfix(String namespace, String name, String requester) {
    Hotfix h = new Hotfix();
    h.getMetadata().setName(name);
    h.getMetadata().setNamespace(namespace);
    h.getMetadata().setAnnotations(Map.of(IdentityAnnotations.REQUESTED_BY, requester));
    HotfixSpec spec = new HotfixSpec();
    spec.severity = Severity.Major;
    spec.reason = "admission test";
    spec.target = new TargetRef();
    spec.target.name = "web";
    spec.containers = List.of(new ContainerImage("app", "registry.example.com/web:1.1"));
    h.setSpec(spec);
    return h;
  }
}
