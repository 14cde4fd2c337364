package dev.hotfix.sandbox.api;

import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A watch streamed as a chunked HTTP response, one JSON event per line, as a real API server
 * streams it to kubectl ({@code get -w}, {@code wait}, {@code rollout status}). The store's watch
 * engine only speaks WebSocket, so this adapts its {@link WebSocket} to the response: each message
 * sent becomes a line, closing ends the response, and a client going away closes the watch.
 */
final class ChunkedWatch implements WebSocket {
  private static final int NORMAL_CLOSURE = 1000;

  private final Vertx vertx;
  private final RecordedRequest request;
  private final HttpServerResponse response;
  private final WebSocketListener listener;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ChunkedWatch(Vertx vertx, RecordedRequest request, HttpServerResponse response, WebSocketListener listener) {
    this.vertx = vertx;
    this.request = request;
    this.response = response;
    this.listener = listener;
  }

  /** Starts streaming the store's watch into the response (its timeout is the front's: {@link WatchTimers}). */
  static void stream(Vertx vertx, HttpServerResponse response, RecordedRequest request, MockResponse storeAnswer) {
    ChunkedWatch watch = new ChunkedWatch(vertx, request, response, storeAnswer.getWebSocketListener());
    response.setStatusCode(200).setChunked(true).putHeader("Content-Type", "application/json");
    response.closeHandler(v -> watch.stop("client went away"));
    // headers first: a client waits for them before it counts the watch as started
    response.writeHead();
    watch.listener.onBeforeAccept(watch, storeAnswer);
    watch.listener.onOpen(watch, storeAnswer);
  }

  @Override
  public RecordedRequest request() {
    return request;
  }

  @Override
  public boolean send(String text) {
    if (closed.get()) {
      return false;
    }
    response.write(text + "\n");
    return true;
  }

  @Override
  public boolean send(byte[] bytes) {
    return send(new String(bytes, StandardCharsets.UTF_8));
  }

  @Override
  public boolean close(int code, String reason) {
    if (!closed.compareAndSet(false, true)) {
      return false;
    }
    if (!response.ended() && !response.closed()) {
      response.end();
    }
    return true;
  }

  /** Ends the stream and unregisters the watch (the listener waits for its sender, so off the event loop). */
  private void stop(String reason) {
    close(NORMAL_CLOSURE, reason);
    vertx.executeBlocking(() -> {
      listener.onClosed(this, NORMAL_CLOSURE, reason);
      return null;
    }, false);
  }
}
