package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.hotfix.testing.SelfSignedCertificate;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A small admission webhook server for tests: HTTPS on 127.0.0.1 with a keytool certificate
 * ({@link SelfSignedCertificate}), answering {@code admission.k8s.io/v1} AdmissionReviews per
 * path with whatever the test says, and keeping every review it received.
 */
public final class AdmissionReviewServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpsServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final String caBundle;
  private final Map<String, Function<JsonNode, ObjectNode>> answers = new ConcurrentHashMap<>();
  private final List<JsonNode> received = new CopyOnWriteArrayList<>();

  /** An answer that allows the request (the {@code response} fields besides uid). */
  public static ObjectNode allow() {
    return JSON.createObjectNode().put("allowed", true);
  }

  /** A denial with a message and no code (the API server picks it). */
  public static ObjectNode deny(String message) {
    ObjectNode response = JSON.createObjectNode().put("allowed", false);
    response.putObject("status").put("message", message);
    return response;
  }

  /** An allowed answer carrying a JSON patch. */
  public static ObjectNode patch(JsonNode jsonPatch) {
    return allow().put("patchType", "JSONPatch")
        .put("patch", Base64.getEncoder().encodeToString(jsonPatch.toString().getBytes(StandardCharsets.UTF_8)));
  }

  public AdmissionReviewServer(Path dir) throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.forLoopback(dir, "webhook");
    caBundle = Base64.getEncoder().encodeToString(certificate.pem().getBytes(StandardCharsets.US_ASCII));
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
    server.setExecutor(executor);
    server.createContext("/", this::review);
    server.start();
  }

  /** What to answer on {@code path} from now on. */
  public void answer(String path, Function<JsonNode, ObjectNode> decision) {
    answers.put(path, decision);
  }

  /** {@code https://127.0.0.1:PORT/path}. */
  public String url(String path) {
    return "https://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** The base64 PEM bundle that trusts this server, as {@code clientConfig.caBundle} wants it. */
  public String caBundle() {
    return caBundle;
  }

  /** The {@code request}s of every review received so far, in order. */
  public List<JsonNode> received() {
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
}
