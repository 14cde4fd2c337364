package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What a DELETE does to an object before storage is asked to remove it, as upstream's
 * {@code rest.BeforeDelete} with the pod strategy's {@code CheckGracefulDelete}: a pod on a node
 * is given a grace period (the request's {@code gracePeriodSeconds}, else its
 * {@code spec.terminationGracePeriodSeconds}, else 0) and marked with
 * {@code deletionTimestamp = now + grace} and {@code deletionGracePeriodSeconds}; the kubelet
 * removes it once its containers have stopped. Other kinds are never deleted gracefully.
 */
final class GracefulDeletion {

  private GracefulDeletion() {}

  /** What the delete does next. */
  enum Outcome {
    /** Remove the object now (unless finalizers hold it). */
    IMMEDIATE,
    /** The object has been marked (or its grace shortened): store it, marked. */
    GRACEFUL,
    /** A graceful deletion is already under way and this request changes nothing. */
    PENDING
  }

  /**
   * Marks {@code object} (a copy of the stored one, changed in place) as the delete asks.
   *
   * @param requestedGrace the request's {@code gracePeriodSeconds}, null when it gives none
   * @param now the time of the request
   */
  static Outcome before(ObjectNode object, Long requestedGrace, Instant now) {
    ObjectNode metadata = object.withObjectProperty("metadata");
    // upstream treats negative values as one second on the delete path
    Long grace = requestedGrace != null && requestedGrace < 0 ? Long.valueOf(1) : requestedGrace;
    if (!metadata.path("deletionTimestamp").asText("").isEmpty()) {
      long current = metadata.path("deletionGracePeriodSeconds").asLong(0);
      if (current == 0) {
        return Outcome.IMMEDIATE; // marked without grace (finalizers): nothing to wait for
      }
      if (grace == null || grace >= current) {
        return Outcome.PENDING; // only a shorter grace period may be given
      }
      Instant deadline = Instant.parse(metadata.path("deletionTimestamp").asText());
      mark(metadata, deadline.minusSeconds(current).plusSeconds(grace), grace);
      return Outcome.GRACEFUL;
    }
    if (!isPod(object)) {
      return Outcome.IMMEDIATE;
    }
    long period = grace != null ? grace : object.path("spec").path("terminationGracePeriodSeconds").asLong(0);
    String phase = object.path("status").path("phase").asText("");
    if (object.path("spec").path("nodeName").asText("").isEmpty() || phase.equals("Succeeded")
        || phase.equals("Failed")) {
      period = 0; // nothing runs it, or nothing runs any more
    }
    if (period < 0) {
      period = 1;
    }
    mark(metadata, now.plusSeconds(period), period);
    return Outcome.GRACEFUL;
  }

  /** The seconds of grace an object marked for deletion has (0 when it has none). */
  static long graceOf(JsonNode object) {
    return object.path("metadata").path("deletionGracePeriodSeconds").asLong(0);
  }

  /** Whether the object is marked for deletion. */
  static boolean isMarked(JsonNode object) {
    return !object.path("metadata").path("deletionTimestamp").asText("").isEmpty();
  }

  /** Marks an object being removed without grace (held by finalizers), as upstream's markAsDeleting. */
  static void markWithoutGrace(ObjectNode object, Instant now) {
    ObjectNode metadata = object.withObjectProperty("metadata");
    if (!isMarked(object)) {
      mark(metadata, now, 0);
    }
  }

  private static void mark(ObjectNode metadata, Instant deadline, long grace) {
    metadata.put("deletionTimestamp", deadline.truncatedTo(ChronoUnit.SECONDS).toString());
    metadata.put("deletionGracePeriodSeconds", grace);
  }

  private static boolean isPod(JsonNode object) {
    return "Pod".equals(object.path("kind").asText()) && "v1".equals(object.path("apiVersion").asText());
  }
}
