package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotfix.tls.PemTrust;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;

/**
 * Calls admission webhooks as upstream's API server does: an {@code admission.k8s.io/v1}
 * {@code AdmissionReview} POSTed over HTTPS to {@code clientConfig.url} (trusting
 * {@code caBundle}, or the JDK's roots without one) within {@code timeoutSeconds}, and the answer
 * checked (kind, uid, patch type). One instance per API server: HTTP clients are kept per CA bundle.
 */
final class WebhookCall {
  private static final String REVIEW_API_VERSION = "admission.k8s.io/v1";

  private final Map<String, HttpClient> clientsByCaBundle = new ConcurrentHashMap<>();

  /** A webhook's verdict. */
  record Answer(boolean allowed, JsonNode status, JsonNode jsonPatch) {
  }

  /** The webhook could not be asked, or answered something that is not a verdict. */
  static final class Failure extends Exception {
    Failure(String message) {
      super(message);
    }
  }

  /**
   * Asks one webhook about one write.
   *
   * @param object the object the webhook sees (null on delete)
   * @param oldObject the stored object the webhook sees (null on create)
   */
  Answer ask(RegisteredWebhook hook, AdmissionAttributes write, JsonNode object, JsonNode oldObject)
      throws Failure {
    JsonNode clientConfig = hook.spec().path("clientConfig");
    if (!clientConfig.has("url")) {
      JsonNode service = clientConfig.path("service");
      throw new Failure("the hotfix sandbox has no Services to reach: service " + service.path("namespace").asText()
          + "/" + service.path("name").asText() + " cannot be called; register the webhook with clientConfig.url "
          + "(https://127.0.0.1:PORT/PATH) instead");
    }
    Duration timeout = hook.timeout();
    URI url = withTimeout(URI.create(clientConfig.path("url").asText()), timeout);
    String uid = UUID.randomUUID().toString();
    HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
        .header("Content-Type", "application/json").header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(review(uid, write, object, oldObject).toString()))
        .build();
    HttpResponse<String> response;
    try {
      response = client(clientConfig.path("caBundle").asText(""), timeout)
          .send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new Failure("failed to call webhook: Post \"" + url + "\": context deadline exceeded (no answer within "
          + timeout.toSeconds() + "s)");
    } catch (IOException e) {
      throw new Failure("failed to call webhook: Post \"" + url + "\": " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure("failed to call webhook: interrupted");
    }
    return answer(uid, hook, response);
  }

  private static Answer answer(String uid, RegisteredWebhook hook, HttpResponse<String> response) throws Failure {
    if (response.statusCode() != 200) {
      throw new Failure("failed to call webhook: the server responded with HTTP " + response.statusCode() + ": "
          + abbreviate(response.body()));
    }
    JsonNode review;
    try {
      review = CrudStore.JSON.readTree(response.body());
    } catch (IOException e) {
      throw new Failure("received invalid webhook response: " + e.getMessage());
    }
    String gvk = review.path("apiVersion").asText() + ", Kind=" + review.path("kind").asText();
    if (!gvk.equals(REVIEW_API_VERSION + ", Kind=AdmissionReview")) {
      throw new Failure("expected webhook response of " + REVIEW_API_VERSION + ", Kind=AdmissionReview, got " + gvk);
    }
    JsonNode answer = review.path("response");
    if (!answer.isObject()) {
      throw new Failure("webhook response was absent");
    }
    if (!uid.equals(answer.path("uid").asText())) {
      throw new Failure("expected response.uid=\"" + uid + "\", got \"" + answer.path("uid").asText() + "\"");
    }
    JsonNode patch = null;
    if (answer.hasNonNull("patch")) {
      if (!hook.mutating()) {
        throw new Failure("validating webhooks may not return patches");
      }
      if (!"JSONPatch".equals(answer.path("patchType").asText())) {
        throw new Failure("webhook returned invalid patchType: \"" + answer.path("patchType").asText() + "\"");
      }
      try {
        patch = CrudStore.JSON.readTree(Base64.getDecoder().decode(answer.path("patch").asText()));
      } catch (IOException | IllegalArgumentException e) {
        throw new Failure("received undecodable patch in webhook response: " + e.getMessage());
      }
    }
    return new Answer(answer.path("allowed").asBoolean(false), answer.path("status"), patch);
  }

  /** The AdmissionReview request, with every field upstream fills. */
  private static ObjectNode review(String uid, AdmissionAttributes write, JsonNode object, JsonNode oldObject) {
    ObjectNode review = CrudStore.JSON.createObjectNode().put("apiVersion", REVIEW_API_VERSION)
        .put("kind", "AdmissionReview");
    ObjectNode request = review.putObject("request").put("uid", uid);
    ResourceType type = write.type();
    ResourceRef ref = write.ref();
    ObjectNode kind = write.isScale()
        ? kind("autoscaling", "v1", "Scale") : kind(type.group(), type.version(), type.kind());
    ObjectNode resource = CrudStore.JSON.createObjectNode().put("group", type.group())
        .put("version", type.version()).put("resource", type.plural());
    request.set("kind", kind);
    request.set("resource", resource);
    if (ref.subresource() != null) {
      request.put("subResource", ref.subresource());
    }
    request.set("requestKind", kind.deepCopy());
    request.set("requestResource", resource.deepCopy());
    if (ref.subresource() != null) {
      request.put("requestSubResource", ref.subresource());
    }
    JsonNode named = object != null ? object : oldObject;
    request.put("name", ref.name() != null ? ref.name() : named.path("metadata").path("name").asText(""));
    if (ref.namespace() != null) {
      request.put("namespace", ref.namespace());
    }
    request.put("operation", write.operation());
    request.set("userInfo", write.user().toJson());
    request.set("object", object);
    request.set("oldObject", oldObject);
    request.put("dryRun", write.options().dryRun());
    request.set("options", options(write));
    return review;
  }

  private static ObjectNode kind(String group, String version, String kind) {
    return CrudStore.JSON.createObjectNode().put("group", group).put("version", version).put("kind", kind);
  }

  /** CreateOptions, UpdateOptions or DeleteOptions, as the write was asked for. */
  private static ObjectNode options(AdmissionAttributes write) {
    String kind = switch (write.operation()) {
      case AdmissionAttributes.CREATE -> "CreateOptions";
      case AdmissionAttributes.UPDATE -> "UpdateOptions";
      default -> "DeleteOptions";
    };
    ObjectNode options = CrudStore.JSON.createObjectNode().put("kind", kind).put("apiVersion", "meta.k8s.io/v1");
    if (write.options().dryRun()) {
      options.putArray("dryRun").add("All");
    }
    if (kind.equals("DeleteOptions")) {
      if (write.options().propagation() != WriteOptions.Propagation.BACKGROUND) {
        String policy = write.options().propagation().name();
        options.put("propagationPolicy", policy.charAt(0) + policy.substring(1).toLowerCase());
      }
    } else {
      String validation = write.options().fieldValidation().name();
      options.put("fieldValidation", validation.charAt(0) + validation.substring(1).toLowerCase());
    }
    return options;
  }

  /** As upstream, the timeout travels in the query too ({@code ?timeout=10s}), for the webhook's own use. */
  private static URI withTimeout(URI url, Duration timeout) {
    String query = (url.getRawQuery() == null ? "" : url.getRawQuery() + "&") + "timeout=" + timeout.toSeconds() + "s";
    return URI.create(url.getScheme() + "://" + url.getRawAuthority() + (url.getRawPath() == null ? ""
        : url.getRawPath()) + "?" + query);
  }

  private HttpClient client(String caBundle, Duration connectTimeout) throws Failure {
    try {
      return clientsByCaBundle.computeIfAbsent(caBundle + "|" + connectTimeout.toSeconds(), key -> {
        try {
          return HttpClient.newBuilder().sslContext(trusting(caBundle)).connectTimeout(connectTimeout)
              .version(HttpClient.Version.HTTP_1_1).build();
        } catch (GeneralSecurityException e) {
          throw new IllegalArgumentException(e.getMessage(), e);
        }
      });
    } catch (IllegalArgumentException e) {
      throw new Failure("failed to call webhook: the clientConfig.caBundle is not a base64 PEM certificate bundle: "
          + e.getMessage());
    }
  }

  /** An SSL context trusting the bundle's certificates, or the JDK's roots when the bundle is empty. */
  private static SSLContext trusting(String caBundle) throws GeneralSecurityException {
    return caBundle.isEmpty() ? SSLContext.getDefault()
        : PemTrust.sslContext(new String(Base64.getMimeDecoder().decode(caBundle), StandardCharsets.US_ASCII));
  }

  private static String describe(IOException e) {
    if (e instanceof ConnectException) {
      return "connect: connection refused";
    }
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  private static String abbreviate(String body) {
    String oneLine = body == null ? "" : body.replaceAll("\\s+", " ").trim();
    return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
  }
}
