package dev.hotfix.sandbox.api;

import io.fabric8.mockwebserver.vertx.ServerWebSocketHandler;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the API server: authenticates Vert.x requests ({@link Users}), turns them into
 * {@link ApiRequest}s, answers them
 * off the event loop (the front takes locks), and streams watches: over WebSocket when the client
 * asks for the upgrade (fabric8 clients), as chunked HTTP otherwise (kubectl).
 */
final class HttpFront implements Handler<HttpServerRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(HttpFront.class);
  private static final int SERVER_ERROR = 1011;

  private final Vertx vertx;
  private final ApiFront front;
  private final Users users;
  private final RequestCounts counts;

  HttpFront(Vertx vertx, ApiFront front, Users users, RequestCounts counts) {
    this.vertx = vertx;
    this.front = front;
    this.users = users;
    this.counts = counts;
  }

  @Override
  public void handle(HttpServerRequest http) {
    long started = System.nanoTime();
    boolean upgrade = "websocket".equalsIgnoreCase(http.getHeader("Upgrade"));
    Map<String, String> query = new HashMap<>();
    http.params().forEach(entry -> query.putIfAbsent(entry.getKey(), entry.getValue()));
    // an upgrade request has no body; paused, it stays open for the upgrade once the store answered
    if (upgrade) {
      http.pause();
    }
    Future<Buffer> body = upgrade ? Future.succeededFuture(Buffer.buffer()) : http.body();
    String method = http.method().name();
    String path = http.path();
    String accept = http.getHeader("Accept");
    String contentType = http.getHeader("Content-Type");
    Map<String, List<String>> headers = new HashMap<>();
    http.headers().names().forEach(name -> headers.put(name.toLowerCase(Locale.ROOT), http.headers().getAll(name)));
    String userAgent = Objects.requireNonNullElse(http.getHeader("User-Agent"), "");
    boolean dryRun = WriteOptions.isDryRun(query);
    body.compose(bytes -> {
      counts.received(new AuditedRequest(userAgent, method, path, contentType, bytes.toString(StandardCharsets.UTF_8),
          AuditedRequest.RECEIVED, dryRun));
      return vertx.executeBlocking(() -> answer(method, path, query, accept, contentType, headers, bytes), false);
    })
        .onSuccess(answer -> {
          // the body's future completed before the answer was computed
          counts.record(new AuditedRequest(userAgent, method, path, contentType,
              body.result().toString(StandardCharsets.UTF_8), answer.code(), dryRun));
          respond(http, answer, upgrade, query, started);
        })
        .onFailure(error -> {
          LOG.warn("{} {} failed", http.method(), http.uri(), error);
          if (!http.response().headWritten()) {
            http.response().setStatusCode(500).end();
          }
        });
  }

  /**
   * Authenticates the request, reads the body (JSON, or the protobuf kubectl's generators send)
   * and lets the front answer.
   */
  private ApiResponse answer(String method, String path, Map<String, String> query, String accept,
      String contentType, Map<String, List<String>> headers, Buffer bytes) {
    try {
      UserInfo user = users.authenticate(headers);
      if (!ProtobufBodies.isProtobuf(contentType)) {
        return front.handle(new ApiRequest(method, path, query, accept, contentType,
            bytes.toString(StandardCharsets.UTF_8), user));
      }
      String json = ProtobufBodies.toJson(bytes.getBytes()).toString();
      return front.handle(new ApiRequest(method, path, query, accept, "application/json", json, user));
    } catch (ApiError refused) {
      return ApiResponse.error(refused);
    }
  }

  private void respond(HttpServerRequest http, ApiResponse answer, boolean upgrade, Map<String, String> query,
      long started) {
    // one line per request, never a body: bodies may be Secrets
    String client = http.getHeader("User-Agent");
    LOG.debug("{} {} -> {}{} in {} ms by {}", http.method(), http.uri(), answer.code(),
        answer.isWatch() ? " (watch)" : "", (System.nanoTime() - started) / 1_000_000, client);
    if (answer.isWatch() && upgrade) {
      http.toWebSocket().onSuccess(new ServerWebSocketHandler(answer.watchRequest(), answer.watch()))
          .onFailure(error -> {
            LOG.debug("watch upgrade of {} failed", http.uri(), error);
            // the store's side is already open: close it (it waits for its sender, so off the event loop)
            vertx.executeBlocking(() -> {
              answer.watch().getWebSocketListener().onClosed(null, SERVER_ERROR, "upgrade failed");
              return null;
            }, false);
          });
      return;
    }
    if (upgrade) {
      // no upgrade after all (an error, or a plain answer): let the connection read on
      http.resume();
    }
    HttpServerResponse response = http.response();
    if (answer.isWatch()) {
      ChunkedWatch.stream(vertx, response, answer.watchRequest(), answer.watch());
      return;
    }
    response.setStatusCode(answer.code()).putHeader("Content-Type", answer.contentType()).end(answer.body());
  }
}
