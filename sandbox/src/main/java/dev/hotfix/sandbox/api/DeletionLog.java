package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The recent deletions, so that a watch started from a list's resourceVersion misses none of
 * them. A real API server replays every event after that version from its watch cache; the
 * store's watch only replays the objects that still exist, so an object deleted between a
 * client's list and its watch (an informer's start or re-watch) would stay in the client's cache
 * for ever: a ghost pod a ReplicaSet controller keeps counting. Deletions do not advance the
 * store's resourceVersion, so each is kept with the version current when it happened; a watch
 * from an older version than the log still holds gets 410 Gone and relists, as upstream's does
 * when its cache window has passed.
 */
final class DeletionLog {
  /** Enough for the largest benchmark's churn; each entry is one deleted object. */
  private static final int CAPACITY = 50_000;

  private record Deletion(long version, String apiVersion, String kind, String namespace, ObjectNode object) {
  }

  private final Deque<Deletion> deletions = new ArrayDeque<>();
  /** The version up to which deletions may have been forgotten. */
  private long forgottenUpTo;

  /** Remembers {@code object}, deleted when the store's resourceVersion was {@code version}. */
  synchronized void deleted(ObjectNode object, long version) {
    JsonNode metadata = object.path("metadata");
    deletions.addLast(new Deletion(version, object.path("apiVersion").asText(), object.path("kind").asText(),
        metadata.path("namespace").asText(null), object));
    while (deletions.size() > CAPACITY) {
      forgottenUpTo = deletions.removeFirst().version();
    }
  }

  /** Whether every deletion since {@code version} is still known. */
  synchronized boolean covers(long version) {
    return version >= forgottenUpTo;
  }

  /**
   * The objects of {@code apiVersion}/{@code kind} deleted at or after {@code version} (a deletion
   * at the list's own version may have come after the list: one extra DELETED event for an object
   * the client no longer has is harmless, a missing one is not), in {@code namespace} (null: all),
   * that {@code selected} accepts.
   */
  synchronized List<ObjectNode> since(long version, String apiVersion, String kind, String namespace,
      Predicate<JsonNode> selected) {
    List<ObjectNode> found = new ArrayList<>();
    for (Deletion d : deletions) {
      if (d.version() >= version && d.apiVersion().equals(apiVersion) && d.kind().equals(kind)
          && (namespace == null || Objects.equals(namespace, d.namespace())) && selected.test(d.object())) {
        found.add(d.object());
      }
    }
    return found;
  }
}
