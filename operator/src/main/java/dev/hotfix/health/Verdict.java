package dev.hotfix.health;

import dev.hotfix.api.v1alpha1.RollbackCause;
import java.time.Instant;
import java.util.Optional;

/**
 * What the health gate concluded about the revision under test, from its checks' measurements:
 * the first failure decides; otherwise healthy, or not yet decided until an event or a recheck.
 *
 * @param state healthy, not yet decided, or failed
 * @param cause for a failure, why it rolls back
 * @param message what was seen, for status, Events and the rollback reason
 * @param recheckAt when the check could change its mind without any new event (a deadline), if ever
 */
public record Verdict(State state, RollbackCause cause, String message, Optional<Instant> recheckAt) {

  /** The three outcomes a gate can reach. */
  public enum State { HEALTHY, PENDING, FAILED }

  public static Verdict healthy(String message) {
    return new Verdict(State.HEALTHY, null, message, Optional.empty());
  }

  public static Verdict pending(String message, Optional<Instant> recheckAt) {
    return new Verdict(State.PENDING, null, message, recheckAt);
  }

  public static Verdict failed(RollbackCause cause, String message) {
    return new Verdict(State.FAILED, cause, message, Optional.empty());
  }

  public boolean isFailed() {
    return state == State.FAILED;
  }

  public boolean isHealthy() {
    return state == State.HEALTHY;
  }
}
