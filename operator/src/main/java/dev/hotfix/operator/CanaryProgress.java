package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.CanaryStatus;
import dev.hotfix.api.v1alpha1.CanaryVerdict;
import java.util.Optional;

/**
 * The steps of a canary as {@code status.canary} records them, named for Events: told once each,
 * when the status write that records the step lands (a write lost to a 409 tells nothing).
 */
final class CanaryProgress {
  static final String STARTED = "CanaryStarted";
  static final String ANALYSING = "CanaryAnalysing";
  static final String PASSED = "CanaryPassed";
  static final String FAILED = "CanaryFailed";

  private CanaryProgress() {
  }

  /** The step from {@code before} to {@code after}, empty when the canary did not move on. */
  static Optional<String> step(CanaryStatus before, CanaryStatus after) {
    if (after == null) {
      return Optional.empty();
    }
    if (after.verdict != null && (before == null || before.verdict != after.verdict)) {
      return Optional.of(after.verdict == CanaryVerdict.Passed ? PASSED : FAILED);
    }
    if (after.analysisStartedAt != null && (before == null || before.analysisStartedAt == null)) {
      return Optional.of(ANALYSING);
    }
    if (after.startedAt != null && (before == null || before.startedAt == null)) {
      return Optional.of(STARTED);
    }
    return Optional.empty();
  }
}
