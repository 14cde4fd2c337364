package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;

/**
 * A watch from a resourceVersion the watch cache no longer holds, answered as upstream's cacher
 * answers it: the watch opens, sends one ERROR event carrying 410 {@code Expired} "too old
 * resource version", and ends. Informers list again; kubectl prints the error.
 */
final class ExpiredWatch extends WebSocketListener {
  private static final int NORMAL_CLOSURE = 1000;

  private final ApiError gone;

  ExpiredWatch(long requested, long oldest) {
    this.gone = ApiError.gone("too old resource version: " + requested + " (" + oldest + ")");
  }

  @Override
  public void onOpen(WebSocket client, Response response) {
    ObjectNode event = CrudStore.JSON.createObjectNode().put("type", "ERROR");
    event.set("object", gone.toStatus());
    client.send(event.toString());
    client.close(NORMAL_CLOSURE, gone.getMessage());
  }
}
