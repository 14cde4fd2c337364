package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.HotfixStatus;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.RollbackCause;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What a phase handler decided: the phase to be in, a message for people, edits to the status,
 * and when to look again if no event arrives first.
 *
 * @param phase the phase after this step (the same phase to stay)
 * @param message the status message (and the timeline/Event text on a phase change)
 * @param edit further status changes (recorded revisions, reasons, timestamps)
 * @param recheckAt when to reconcile again without an event (a deadline or the end of a bake)
 * @param notable whether the timeline records this step even without a phase change (a write
 *     to the Deployment, for instance); phase changes are always recorded
 */
public record Step(Phase phase, String message, Consumer<HotfixStatus> edit, Optional<Instant> recheckAt,
    boolean notable) {

  public Step(Phase phase, String message, Consumer<HotfixStatus> edit, Optional<Instant> recheckAt) {
    this(phase, message, edit, recheckAt, false);
  }

  /** Stay in {@code phase}, waiting for an event or until {@code recheckAt}. */
  public static Step stay(Phase phase, String message, Optional<Instant> recheckAt) {
    return new Step(phase, message, s -> { }, recheckAt);
  }

  /** Move to {@code phase}. */
  public static Step to(Phase phase, String message) {
    return new Step(phase, message, s -> { }, Optional.empty());
  }

  /** This step with a further status edit. */
  public Step with(Consumer<HotfixStatus> more) {
    return new Step(phase, message, edit.andThen(more), recheckAt, notable);
  }

  /**
   * This step, recording why the Hotfix rolls back: the typed cause ({@code status.rollbackCause})
   * and the human reason built from it ({@code status.rollbackReason}), decided here only.
   */
  public Step rollingBackFor(RollbackCause cause, String detail) {
    return with(s -> {
      s.rollbackCause = cause;
      s.rollbackReason = cause.describe(detail);
    });
  }

  /** This step, recorded in the timeline. */
  public Step noted() {
    return new Step(phase, message, edit, recheckAt, true);
  }

  /** How long until {@link #recheckAt}, never negative. */
  public Optional<Duration> recheckAfter(Instant now) {
    return recheckAt.map(t -> Duration.between(now, t)).map(d -> d.isNegative() ? Duration.ZERO : d);
  }
}
