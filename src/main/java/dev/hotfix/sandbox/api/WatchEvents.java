package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The store's watch made to keep a real API server's promises. The store starts every watch by
 * replaying each matching object as ADDED; a client that lists and then watches from the list's
 * {@code resourceVersion} must not see those again (kubectl {@code get -w} would print them twice),
 * so replayed ADDED events at or below that version are dropped, and so are objects the
 * client did not select but the store matched. For {@code kubectl get -w}, which
 * asks for Tables, each event's object becomes a one-row Table so it prints the same columns as
 * {@code get}. Wraps the store's listener and the socket it writes to; everything else passes through.
 */
final class WatchEvents extends WebSocketListener {
  private final WebSocketListener store;
  private final Predicate<JsonNode> selected;
  private final long sinceVersion;
  private final UnaryOperator<JsonNode> objectFormat;
  private final AtomicReference<WebSocket> client = new AtomicReference<>();

  /**
   * @param store the store's watch listener
   * @param selected which objects the client watches (the store matches more: other groups'
   *     objects of the same plural on core paths, any field selector beyond the name)
   * @param resourceVersion the watch's {@code resourceVersion} parameter (null, "" or "0": replay all)
   * @param objectFormat how each event's object is sent (identity, or a Table row)
   */
  WatchEvents(WebSocketListener store, Predicate<JsonNode> selected, String resourceVersion,
      UnaryOperator<JsonNode> objectFormat) {
    this.store = store;
    this.selected = selected;
    this.sinceVersion = parseVersion(resourceVersion);
    this.objectFormat = objectFormat;
  }

  /** An object format that sends each object as a Table of one row, as upstream does for kubectl. */
  static UnaryOperator<JsonNode> asTable(ResourceType type, String includeObject) {
    return object -> TableConverter.table(type, List.of((ObjectNode) object),
        object.path("metadata").path("resourceVersion").asText(), includeObject);
  }

  @Override
  public void onBeforeAccept(WebSocket webSocket, Response response) {
    store.onBeforeAccept(wrap(webSocket), response);
  }

  @Override
  public void onOpen(WebSocket webSocket, Response response) {
    store.onOpen(wrap(webSocket), response);
  }

  @Override
  public void onMessage(WebSocket webSocket, String text) {
    store.onMessage(wrap(webSocket), text);
  }

  @Override
  public void onMessage(WebSocket webSocket, byte[] bytes) {
    store.onMessage(wrap(webSocket), bytes);
  }

  @Override
  public void onClosing(WebSocket webSocket, int code, String reason) {
    store.onClosing(wrap(webSocket), code, reason);
  }

  @Override
  public void onClosed(WebSocket webSocket, int code, String reason) {
    store.onClosed(wrap(webSocket), code, reason);
  }

  @Override
  public void onFailure(WebSocket webSocket, Throwable error, Response response) {
    store.onFailure(wrap(webSocket), error, response);
  }

  /** One wrapper per watch: the store keeps the socket it was opened with and closes that one. */
  private WebSocket wrap(WebSocket webSocket) {
    client.compareAndSet(null, new Filtered(webSocket));
    return client.get();
  }

  /** The event to send instead of {@code text}, or null to drop it. */
  private String rewrite(String text) {
    JsonNode event;
    try {
      event = CrudStore.JSON.readTree(text);
    } catch (IOException e) {
      return text;
    }
    JsonNode object = event.path("object");
    String type = event.path("type").asText();
    if (!object.isObject() || type.equals("ERROR") || type.equals("BOOKMARK")) {
      return text;
    }
    long version = parseVersion(object.path("metadata").path("resourceVersion").asText());
    boolean replayed = type.equals("ADDED") && sinceVersion > 0 && version <= sinceVersion;
    if (replayed || !selected.test(object)) {
      return null;
    }
    ((ObjectNode) event).set("object", objectFormat.apply(object));
    return event.toString();
  }

  private static long parseVersion(String resourceVersion) {
    try {
      return resourceVersion == null || resourceVersion.isEmpty() ? 0 : Long.parseLong(resourceVersion);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private final class Filtered implements WebSocket {
    private final WebSocket socket;

    Filtered(WebSocket socket) {
      this.socket = socket;
    }

    @Override
    public RecordedRequest request() {
      return socket.request();
    }

    @Override
    public boolean send(String text) {
      String rewritten = rewrite(text);
      return rewritten == null || socket.send(rewritten);
    }

    @Override
    public boolean send(byte[] bytes) {
      return send(new String(bytes, StandardCharsets.UTF_8));
    }

    @Override
    public boolean close(int code, String reason) {
      return socket.close(code, reason);
    }
  }
}
