package dev.hotfix.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A small admission webhook server for tests: HTTPS on 127.0.0.1 with a certificate made by the
 * JDK's keytool, answering {@code admission.k8s.io/v1} AdmissionReviews per path with whatever
 * the test says, and keeping every review it received.
 */
final class AdmissionReviewServer implements AutoCloseable {
  private static final String PASSWORD = "changeit";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpsServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final String caBundle;
  private final Map<String, Function<JsonNode, ObjectNode>> answers = new ConcurrentHashMap<>();
  private final List<JsonNode> received = new CopyOnWriteArrayList<>();

  /** A decision about one AdmissionReview request: the {@code response} fields besides uid. */
  static ObjectNode allow() {
    return JSON.createObjectNode().put("allowed", true);
  }

  /** A denial with a message and no code (the API server picks it). */
  static ObjectNode deny(String message) {
    ObjectNode response = JSON.createObjectNode().put("allowed", false);
    response.putObject("status").put("message", message);
    return response;
  }

  /** An allowed answer carrying a JSON patch. */
  static ObjectNode patch(JsonNode jsonPatch) {
    return allow().put("patchType", "JSONPatch")
        .put("patch", Base64.getEncoder().encodeToString(jsonPatch.toString().getBytes(StandardCharsets.UTF_8)));
  }

  AdmissionReviewServer(Path dir) throws Exception {
    Path keystore = dir.resolve("webhook.p12");
    keytool("-genkeypair", "-alias", "webhook", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-ext", "BC=ca:true", "-storetype", "PKCS12",
        "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
    Path pem = dir.resolve("webhook-ca.crt");
    keytool("-exportcert", "-rfc", "-alias", "webhook", "-keystore", keystore.toString(), "-storepass", PASSWORD,
        "-file", pem.toString());
    caBundle = Base64.getEncoder().encodeToString(Files.readAllBytes(pem));
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, PASSWORD.toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.setExecutor(executor);
    server.createContext("/", this::review);
    server.start();
  }

  /** What to answer on {@code path} from now on. */
  void answer(String path, Function<JsonNode, ObjectNode> decision) {
    answers.put(path, decision);
  }

  /** {@code https://127.0.0.1:PORT/path}. */
  String url(String path) {
    return "https://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** The base64 PEM bundle that trusts this server, as {@code clientConfig.caBundle} wants it. */
  String caBundle() {
    return caBundle;
  }

  /** The {@code request}s of every review received so far, in order. */
  List<JsonNode> received() {
    return new ArrayList<>(received);
  }

  private void review(HttpExchange exchange) throws IOException {
    try (exchange) {
      JsonNode review = JSON.readTree(exchange.getRequestBody());
      JsonNode request = review.path("request");
      received.add(request);
      Function<JsonNode, ObjectNode> decision = answers.getOrDefault(exchange.getRequestURI().getPath(),
          r -> deny("no answer configured for " + exchange.getRequestURI().getPath()));
      ObjectNode response = decision.apply(request).put("uid", request.path("uid").asText());
      ObjectNode answer = JSON.createObjectNode().put("apiVersion", "admission.k8s.io/v1")
          .put("kind", "AdmissionReview");
      answer.set("response", response);
      byte[] body = answer.toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private static void keytool(String... args) throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = new ArrayList<>(List.of(keytool.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("keytool finished").isTrue();
    assertThat(p.exitValue()).as("keytool " + args[0] + ": " + output).isZero();
  }
}
