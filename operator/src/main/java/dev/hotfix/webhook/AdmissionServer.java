package dev.hotfix.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsServer;
import dev.hotfix.http.EmbeddedHttpServer;
import dev.hotfix.policy.IdentityProofs;
import dev.hotfix.tls.ReloadingServerIdentity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's admission webhook: HTTPS (the API server calls webhooks only over TLS),
 * serving AdmissionReviews on {@code /mutate} ({@link IdentityStamping}) and {@code /validate}
 * ({@link IdentityGuard}). The certificate and key are read again at each TLS handshake and
 * used when they changed ({@link ReloadingServerIdentity}): a cert-manager renewal takes effect
 * without a restart. Reviews are answered on {@value #THREADS} threads, so that the API server's
 * concurrent calls (and a few slow clients, cut off after
 * {@value EmbeddedHttpServer#REQUEST_SECONDS} s) do not queue every admission behind each other.
 */
public final class AdmissionServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdmissionServer.class);
  /** An AdmissionReview carries one object; anything larger is not one. */
  private static final int MAX_BODY = 3 * 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Each review takes a read or two from the API; the API server calls webhooks concurrently. */
  static final int THREADS = 16;

  private final EmbeddedHttpServer server;

  private AdmissionServer(EmbeddedHttpServer server) {
    this.server = server;
  }

  /**
   * Starts serving.
   *
   * @param address where to listen (port 0 picks a free one)
   * @param certFile the PEM certificate chain ({@code tls.crt}); read again whenever it changes
   * @param keyFile the PEM private key ({@code tls.key}): RSA (PKCS#1 or PKCS#8) or EC (SEC1 or PKCS#8)
   * @param client reads Hotfixes and HotfixPolicies
   * @param proofs the operator's identity key: {@code /mutate} signs what it stamps with it
   * @param operatorUser the user the operator writes status as; {@code /validate} refuses status
   *     writes of Hotfixes and HotfixApprovals by anyone else
   * @throws IllegalArgumentException when the certificate or key cannot be used (the message says why)
   */
  public static AdmissionServer start(InetSocketAddress address, Path certFile, Path keyFile, KubernetesClient client,
      IdentityProofs proofs, String operatorUser) throws IOException {
    if (!proofs.hasKey()) {
      throw new IllegalArgumentException("the admission webhook needs the identity key to sign what it stamps");
    }
    HttpsServer server = EmbeddedHttpServer.https(address, ReloadingServerIdentity.of(certFile, keyFile)
        .serverContext());
    server.createContext("/mutate", exchange -> serve(exchange, new IdentityStamping(client, proofs)));
    server.createContext("/validate", exchange -> serve(exchange, new IdentityGuard(client, proofs, operatorUser)));
    return new AdmissionServer(EmbeddedHttpServer.start(server, "admission-webhook", THREADS));
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.close();
  }

  private static void serve(HttpExchange exchange, AdmissionControl control) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        reply(exchange, 405, "POST an admission.k8s.io/v1 AdmissionReview");
        return;
      }
      AdmissionRequest request;
      try (InputStream in = exchange.getRequestBody()) {
        byte[] body = in.readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
          reply(exchange, 413, "an AdmissionReview is at most " + MAX_BODY + " bytes");
          return;
        }
        request = AdmissionRequest.from(JSON.readTree(body));
      } catch (JsonProcessingException | IllegalArgumentException e) {
        reply(exchange, 400, "not an AdmissionReview: " + e.getMessage());
        return;
      }
      AdmissionResponse response;
      try {
        response = control.review(request);
      } catch (RuntimeException e) {
        // the API server then applies the webhook's failurePolicy
        LOG.warn("could not review {} of {} in {}", request.operation(), request.kind(), request.namespace(), e);
        reply(exchange, 500, "the hotfix-operator webhook failed: " + e.getMessage());
        return;
      }
      if (!response.allowed()) {
        LOG.info("refused {} of {} in {} by {}: {}", request.operation(), request.kind(), request.namespace(),
            request.user(), response.message());
      }
      byte[] out = JSON.writeValueAsBytes(response.toReview(request.uid()));
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, out.length);
      exchange.getResponseBody().write(out);
    }
  }

  private static void reply(HttpExchange exchange, int code, String message) throws IOException {
    EmbeddedHttpServer.answer(exchange, code, "text/plain; charset=utf-8", message + "\n");
  }
}
