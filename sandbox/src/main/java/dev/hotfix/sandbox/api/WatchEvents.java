package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
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
  private static final int NORMAL_CLOSURE = 1000;
  private static final int GOING_AWAY = 1001;
  /** The annotation of the bookmark that ends the initial events (upstream's metav1.InitialEventsAnnotationKey). */
  static final String INITIAL_EVENTS_END = "k8s.io/initial-events-end";
  private static final Method STORE_QUEUE = storeQueue();

  private final WebSocketListener store;
  private final RecordedRequest request;
  private final Predicate<JsonNode> selected;
  private final long sinceVersion;
  private final UnaryOperator<JsonNode> objectFormat;
  private final FaultInjector faults;
  private final ApiRequest clientRequest;
  private final Deferred socket = new Deferred();
  private final List<Future<?>> timers = new CopyOnWriteArrayList<>();

  /**
   * @param store the store's watch listener
   * @param request the watch request as the store saw it
   * @param selected which objects the client watches (the store matches more: other groups'
   *     objects of the same plural on core paths, any field selector beyond the name)
   * @param sinceVersion the watch's {@code resourceVersion} (0: replay all, as for
   *     {@code sendInitialEvents}; see {@link #parseVersion})
   * @param objectFormat how each event's object is sent (identity, or a Table row)
   * @param faults asked, on every event, how late to deliver it ({@link FaultInjector#lagWatches})
   * @param clientRequest the client's watch request, as the fault rules select it
   */
  WatchEvents(WebSocketListener store, RecordedRequest request, Predicate<JsonNode> selected,
      long sinceVersion, UnaryOperator<JsonNode> objectFormat, FaultInjector faults, ApiRequest clientRequest) {
    this.store = store;
    this.request = request;
    this.selected = selected;
    this.sinceVersion = sinceVersion;
    this.objectFormat = objectFormat;
    this.faults = faults;
    this.clientRequest = clientRequest;
  }

  /** An object format that sends each object as a Table of one row, as upstream does for kubectl. */
  static UnaryOperator<JsonNode> asTable(ResourceType type, String includeObject) {
    return object -> TableConverter.table(type, List.of((ObjectNode) object),
        object.path("metadata").path("resourceVersion").asText(), includeObject);
  }

  /**
   * Sends DELETED events for objects deleted since the client's list (see {@link DeletionLog}),
   * ahead of everything the store sends: before the store's replay of an object created again
   * under the same name.
   */
  void deletedSinceList(List<ObjectNode> objects) {
    for (ObjectNode object : objects) {
      ObjectNode event = CrudStore.JSON.createObjectNode();
      event.put("type", "DELETED");
      event.set("object", objectFormat.apply(object));
      socket.pending.add(event.toString());
    }
  }

  /**
   * Opens the store's side at once, before the client's connection is ready: the store drops
   * every event of a registered watch that is not open yet, so the caller opens it right after
   * registering, with writes held off in between; events wait here until {@link #onOpen}.
   */
  void open(Response storeAnswer) {
    store.onBeforeAccept(socket, storeAnswer);
    store.onOpen(socket, storeAnswer);
  }

  /**
   * Sends a BOOKMARK at {@code version}: the object carries only apiVersion, kind and
   * metadata.resourceVersion (and, at the end of the initial events, upstream's
   * {@code k8s.io/initial-events-end} annotation). Queued behind the store's pending events, so
   * a client that watches again from it misses none; call with writes held off.
   */
  void bookmark(String apiVersion, String kind, long version, boolean initialEventsEnd) {
    ObjectNode object = CrudStore.JSON.createObjectNode().put("apiVersion", apiVersion).put("kind", kind);
    ObjectNode metadata = object.putObject("metadata").put("resourceVersion", Long.toString(version));
    if (initialEventsEnd) {
      metadata.putObject("annotations").put(INITIAL_EVENTS_END, "true");
    }
    if (STORE_QUEUE != null && STORE_QUEUE.getDeclaringClass().isInstance(store)) {
      try {
        STORE_QUEUE.invoke(store, object.toString(), Watcher.Action.BOOKMARK);
        return;
      } catch (InvocationTargetException e) {
        if (e.getCause() instanceof RejectedExecutionException) {
          return; // the watch ended meanwhile: nobody to tell
        }
        throw new IllegalStateException("the store refused a bookmark", e.getCause());
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("the store's event queue is out of reach", e);
      }
    }
    ObjectNode event = CrudStore.JSON.createObjectNode().put("type", "BOOKMARK");
    event.set("object", object);
    socket.send(event.toString());
  }

  /**
   * The store's per-watch send queue ({@code WatchEventsListener.sendWebSocketResponse}): events
   * are sent from it in order, so a bookmark queued there follows every event of an earlier
   * write. The class is not public, hence reflection; null if this fabric8 version lacks it.
   */
  private static Method storeQueue() {
    try {
      Method send = Class.forName("io.fabric8.kubernetes.client.server.mock.WatchEventsListener")
          .getMethod("sendWebSocketResponse", String.class, Watcher.Action.class);
      send.setAccessible(true);
      return send;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** A timer (bookmarks, the timeout) that ends with the watch. */
  void ownTimer(Future<?> timer) {
    timers.add(timer);
  }

  /** Ends the watch normally, as upstream does when its timeout has passed: the client watches again. */
  void expire() {
    end(NORMAL_CLOSURE, "watch timed out");
  }

  /** The client's connection is ready (WebSocket accepted, or chunked response started). */
  @Override
  public void onOpen(WebSocket client, Response response) {
    socket.attach(client);
  }

  @Override
  public void onMessage(WebSocket webSocket, String text) {
    store.onMessage(socket, text);
  }

  @Override
  public void onMessage(WebSocket webSocket, byte[] bytes) {
    store.onMessage(socket, bytes);
  }

  @Override
  public void onClosing(WebSocket webSocket, int code, String reason) {
    store.onClosing(socket, code, reason);
  }

  @Override
  public void onClosed(WebSocket webSocket, int code, String reason) {
    timers.forEach(timer -> timer.cancel(false));
    store.onClosed(socket, code, reason);
  }

  @Override
  public void onFailure(WebSocket webSocket, Throwable error, Response response) {
    store.onFailure(socket, error, response);
  }

  /** Ends the watch on both sides, as a broken connection would (see {@link FaultInjector}). */
  void drop() {
    end(GOING_AWAY, "watch dropped");
  }

  private void end(int code, String reason) {
    timers.forEach(timer -> timer.cancel(false));
    socket.close(code, reason);
    store.onClosed(socket, code, reason);
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

  /** A watch's {@code resourceVersion} parameter as a number: 0 (replay all) for null, "", "0" or garbage. */
  static long parseVersion(String resourceVersion) {
    try {
      return resourceVersion == null || resourceVersion.isEmpty() ? 0 : Long.parseLong(resourceVersion);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The socket the store writes to: events rewritten, and held until the client is attached. */
  private final class Deferred implements WebSocket {
    private final List<String> pending = new ArrayList<>();
    private WebSocket client;
    private boolean closed;
    /** Events held by a lag, oldest first, and when the last of them is due. */
    private final Queue<String> lagged = new ArrayDeque<>();
    private Instant laggedUntil = Instant.MIN;

    synchronized void attach(WebSocket connected) {
      client = connected;
      pending.forEach(connected::send);
      pending.clear();
      if (closed) {
        connected.close(NORMAL_CLOSURE, "watch closed before the client was ready");
      }
    }

    @Override
    public RecordedRequest request() {
      return request;
    }

    /**
     * A lagged event waits in this watch's queue until the fault injector's timer delivers it; so
     * does every later one while any waits, so the watch keeps its order when the lag is lifted.
     * Each timer task delivers the queue's head, whichever task fires first.
     */
    @Override
    public boolean send(String text) {
      String rewritten = rewrite(text);
      if (rewritten == null) {
        return true;
      }
      Duration late = faults.watchLag(clientRequest);
      synchronized (this) {
        if (!late.isZero() || !lagged.isEmpty()) {
          Instant due = Instant.now().plus(late);
          laggedUntil = due.isAfter(laggedUntil) ? due : laggedUntil;
          lagged.add(rewritten);
          faults.deliverAt(laggedUntil, this::deliverNextLagged);
          return true;
        }
      }
      return deliver(rewritten);
    }

    private synchronized void deliverNextLagged() {
      String event = lagged.poll();
      if (event != null) {
        deliver(event);
      }
    }

    private synchronized boolean deliver(String event) {
      if (client == null) {
        pending.add(event);
        return true;
      }
      return client.send(event);
    }

    @Override
    public boolean send(byte[] bytes) {
      return send(new String(bytes, StandardCharsets.UTF_8));
    }

    @Override
    public synchronized boolean close(int code, String reason) {
      closed = true;
      return client == null || client.close(code, reason);
    }
  }
}
