package dev.hotfix.report;

import dev.hotfix.api.v1alpha1.HotfixStatus;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.TimelineEntry;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The figures an incident review asks for first, from the Hotfix's status and timeline.
 * The fault is the new revision itself, so it starts with the rollout:
 *
 * @param toDetect rollout started → rollback decided (the first RollingBack entry, else
 *     {@code rollbackStartedAt}); empty when it never rolled back
 * @param toRestore rollout started → the previous revision healthy again (RolledBack)
 * @param rollback rollback decided → the previous revision healthy again
 * @param toShip rollout started → rolled out (the bake period began)
 */
public record IncidentTimes(Optional<Duration> toDetect, Optional<Duration> toRestore, Optional<Duration> rollback,
    Optional<Duration> toShip) {

  /** The figures {@code status} allows; each is empty when a moment it needs is unknown. */
  public static IncidentTimes of(HotfixStatus status) {
    Optional<Instant> started = instant(status.startedAt);
    Optional<Instant> rollbackDecided = status.timeline == null ? Optional.empty() : status.timeline.stream()
        .filter(e -> e.phase == Phase.RollingBack).map((TimelineEntry e) -> e.time).map(IncidentTimes::instant)
        .flatMap(Optional::stream).findFirst();
    if (rollbackDecided.isEmpty()) {
      rollbackDecided = instant(status.rollbackStartedAt);
    }
    Optional<Instant> restored = status.phase == Phase.RolledBack ? instant(status.finishedAt) : Optional.empty();
    return new IncidentTimes(between(started, rollbackDecided), between(started, restored),
        between(rollbackDecided, restored), between(started, instant(status.bakeStartedAt)));
  }

  private static Optional<Duration> between(Optional<Instant> from, Optional<Instant> to) {
    return from.flatMap(f -> to.map(t -> Duration.between(f, t))).filter(d -> !d.isNegative());
  }

  static Optional<Instant> instant(String rfc3339) {
    try {
      return Optional.ofNullable(rfc3339).map(Instant::parse);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** {@code 7.2 s}, {@code 3 min 12 s}; "unknown" when empty. */
  static String format(Optional<Duration> d) {
    return d.map(IncidentTimes::format).orElse("unknown");
  }

  static String format(Duration d) {
    long millis = d.toMillis();
    if (millis < 60_000) {
      return String.format("%.1f s", millis / 1000.0);
    }
    long seconds = d.toSeconds();
    return seconds < 3600 ? seconds / 60 + " min " + seconds % 60 + " s"
        : seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
  }

  /** Whether any figure is known (a Hotfix rejected before starting has none). */
  boolean any() {
    return toDetect.isPresent() || toRestore.isPresent() || toShip.isPresent();
  }
}
