package dev.hotfix.sandbox.api;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The writes a real API server's watch cache still holds: those of the last {@code window}. A
 * client may watch from any resourceVersion whose later writes are all still held; one older than
 * that gets 410 Gone ("too old resource version") and lists again, as from upstream's cacher. The
 * store keeps no history, so this only remembers when each version was written.
 */
final class WatchWindow {
  private record Write(long version, long nanos) {
  }

  private final long windowNanos;
  private final Deque<Write> writes = new ArrayDeque<>();
  /** The newest version whose write has left the window. */
  private long forgottenUpTo;

  WatchWindow(Duration window) {
    this.windowNanos = window.toNanos();
  }

  /** A write that produced {@code version}, now. */
  synchronized void written(long version) {
    writes.addLast(new Write(version, System.nanoTime()));
    forgetOld();
  }

  /** Whether every write after {@code version} is still in the window. */
  synchronized boolean covers(long version) {
    forgetOld();
    return version >= forgottenUpTo;
  }

  /** The oldest resourceVersion a client may still start from. */
  synchronized long oldest() {
    forgetOld();
    return forgottenUpTo;
  }

  private void forgetOld() {
    long now = System.nanoTime();
    while (!writes.isEmpty() && now - writes.peekFirst().nanos() > windowNanos) {
      forgottenUpTo = Math.max(forgottenUpTo, writes.removeFirst().version());
    }
  }
}
