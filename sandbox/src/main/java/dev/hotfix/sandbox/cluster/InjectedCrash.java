package dev.hotfix.sandbox.cluster;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * A fault injected into a revision after the fact: the annotation {@value #ANNOTATION} on a
 * ReplicaSet, an RFC 3339 time, makes the app containers of its pods crash from then on (what a
 * revision that worked does when something it depends on changed under it, a schema migrated by
 * the next revision, say). An image tag decides a pod's behaviour for its whole life; this makes
 * a revision that was fine fail later, and its pods created later too, without changing its pod
 * template (so a rollback still restores that exact template).
 *
 * <p>The kubelet reports it as it reports any crash: a container running at that instant exits
 * with an error (exit code 1), restarts at once, then waits in {@code CrashLoopBackOff} with the
 * usual back-off, its restartCount growing and lastState keeping the last exit; a container that
 * starts later crash-loops as a {@code crashloop} image does. Init containers (done by then) and
 * containers that never run (pull errors, crash loops already) are not affected. The kubelet
 * keeps the time for each pod it saw it on, so a crashing pod keeps crashing until it is deleted
 * (its restartCount never goes back): removing or changing the annotation affects only pods
 * created afterwards. An unreadable value is ignored, with a Warning Event on the ReplicaSet.
 *
 * <pre>kubectl annotate rs web-7d9f5c sandbox.hotfix.dev/crash-since=$(date -u +%Y-%m-%dT%H:%M:%SZ)</pre>
 */
public final class InjectedCrash {
  /** The ReplicaSet annotation: from this RFC 3339 time on, the ReplicaSet's pods crash. */
  public static final String ANNOTATION = "sandbox.hotfix.dev/crash-since";

  private InjectedCrash() {}

  /** When the ReplicaSet's pods started crashing; empty when it carries no (readable) annotation. */
  static Optional<Instant> since(ReplicaSet rs) {
    return value(rs).flatMap(v -> {
      try {
        return Optional.of(Instant.parse(v));
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    });
  }

  /** What is wrong with the ReplicaSet's annotation, empty when it is absent or readable. */
  static Optional<String> problem(ReplicaSet rs) {
    return value(rs).filter(v -> since(rs).isEmpty()).map(v -> "annotation " + ANNOTATION + ": \"" + v + "\" is not "
        + "an RFC 3339 time such as 2026-01-01T12:00:00Z; ignored, the pods of ReplicaSet "
        + rs.getMetadata().getName() + " are not crashed");
  }

  private static Optional<String> value(ReplicaSet rs) {
    Map<String, String> annotations = rs.getMetadata().getAnnotations();
    return Optional.ofNullable(annotations == null ? null : annotations.get(ANNOTATION));
  }
}
