package dev.hotfix.health;

import java.time.Instant;
import java.util.Optional;

/**
 * What a health check concluded about the revision under test.
 *
 * @param state healthy, not yet decided, or failed
 * @param cause for a failure, its rollback reason ({@code pod_fault}, {@code deadline}, {@code check})
 * @param message what was seen, for status, Events and the rollback reason
 * @param recheckAt when the check could change its mind without any new event (a deadline), if ever
 */
public record Verdict(State state, String cause, String message, Optional<Instant> recheckAt) {

  /** The three outcomes a gate can reach. */
  public enum State { HEALTHY, PENDING, FAILED }

  public static Verdict healthy(String message) {
    return new Verdict(State.HEALTHY, null, message, Optional.empty());
  }

  public static Verdict pending(String message, Optional<Instant> recheckAt) {
    return new Verdict(State.PENDING, null, message, recheckAt);
  }

  public static Verdict failed(String cause, String message) {
    return new Verdict(State.FAILED, cause, message, Optional.empty());
  }

  public boolean isFailed() {
    return state == State.FAILED;
  }

  public boolean isHealthy() {
    return state == State.HEALTHY;
  }
}
