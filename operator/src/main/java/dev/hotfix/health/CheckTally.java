package dev.hotfix.health;

import dev.hotfix.api.v1alpha1.CheckSpec;
import dev.hotfix.api.v1alpha1.CheckStatus;
import java.util.Optional;

/**
 * The limits logic of a metric check, pure: a tally (the counts kept in {@code status.checks[]},
 * so they survive operator restarts) plus one measurement gives the next tally and, when a
 * limit is passed, why the check failed.
 *
 * <ul>
 *   <li>FAIL: counts toward {@code failureLimit} (all fails of the attempt, not only in a row,
 *       so a flapping value cannot hide);
 *   <li>NO_DATA: counts toward {@code noDataLimit} (all of the attempt);
 *   <li>ERROR: counts toward {@code errorLimit} in a row; any other outcome resets the run;
 *   <li>PASS: counts as evidence of health; it forgives nothing already counted.
 * </ul>
 * One more than a limit fails the check.
 *
 * @param failureLimit failed measurements tolerated
 * @param noDataLimit no-data measurements tolerated
 * @param errorLimit consecutive provider errors tolerated
 */
public record CheckTally(int failureLimit, int noDataLimit, int errorLimit) {

  /**
   * The tally after {@code m}, and the failure when it passed a limit.
   *
   * @param name the check's name, for the failure message
   * @param before the tally so far (not modified)
   * @param failWhen the threshold, for the failure message; null for a check without one (a job check)
   */
  public Outcome record(String name, CheckStatus before, Measurement m, Threshold failWhen) {
    CheckStatus s = copy(name, before);
    s.lastValue = m.valueText();
    s.lastMessage = m.message();
    s.lastMeasuredAt = m.at().toString();
    s.consecutiveErrors = m.result() == Measurement.Result.ERROR ? s.consecutiveErrors + 1 : 0;
    String criterion = failWhen == null ? "" : "failWhen \"" + failWhen + "\"";
    String failure = switch (m.result()) {
      case PASS -> {
        s.passed++;
        yield null;
      }
      case FAIL -> {
        s.failed++;
        yield s.failed <= failureLimit ? null : failWhen == null
            ? name + ": " + m.message() + " (failure " + s.failed + " of limit " + failureLimit + ")"
            : name + " = " + m.valueText() + " " + failWhen + " (" + criterion + ", failure " + s.failed + " of limit "
                + failureLimit + ")";
      }
      case NO_DATA -> {
        s.noData++;
        yield s.noData > noDataLimit ? name + " had no data " + s.noData + " times (noDataLimit " + noDataLimit
            + (failWhen == null ? "" : "; " + criterion) + "): " + m.message() : null;
      }
      case ERROR -> {
        s.errors++;
        yield s.consecutiveErrors > errorLimit ? name + " failed to measure " + s.consecutiveErrors + " times in a "
            + "row (errorLimit " + errorLimit + (failWhen == null ? "" : "; " + criterion) + "): " + m.message() : null;
      }
    };
    return new Outcome(s, Optional.ofNullable(failure));
  }

  /** A tally with nothing counted yet. */
  public static CheckStatus fresh(String name) {
    return copy(name, null);
  }

  /**
   * A tally that shows {@code now} without counting it: the value a dry run found on the revision
   * running now (no rollout was judged).
   */
  public static CheckStatus current(String name, Measurement now) {
    CheckStatus s = fresh(name);
    s.lastValue = now.valueText();
    s.lastMeasuredAt = now.at().toString();
    s.lastMessage = "value now (not counted: no rollout was judged): " + now.message();
    return s;
  }

  /** A copy of {@code from} (everything counted and recorded), to edit without touching the original. */
  public static CheckStatus copy(String name, CheckStatus from) {
    CheckStatus s = new CheckStatus();
    s.name = name;
    s.passed = from == null || from.passed == null ? 0 : from.passed;
    s.failed = from == null || from.failed == null ? 0 : from.failed;
    s.noData = from == null || from.noData == null ? 0 : from.noData;
    s.errors = from == null || from.errors == null ? 0 : from.errors;
    s.consecutiveErrors = from == null || from.consecutiveErrors == null ? 0 : from.consecutiveErrors;
    if (from != null) {
      s.lastValue = from.lastValue;
      s.lastMessage = from.lastMessage;
      s.lastMeasuredAt = from.lastMeasuredAt;
      s.job = from.job;
      s.jobCreatedAt = from.jobCreatedAt;
      s.logTail = from.logTail;
    }
    return s;
  }

  /**
   * @param tally the counts after the measurement
   * @param failure why the check failed, when a limit was passed
   */
  public record Outcome(CheckStatus tally, Optional<String> failure) {
  }

  /**
   * A check's limits, with the CRD's defaults restated: the operator must not depend on the API
   * server having filled them in (a CRD without them, a client that bypasses defaulting); a test
   * compares them with the committed CRD's.
   */
  public static CheckTally limits(CheckSpec spec) {
    return new CheckTally(spec.failureLimit == null ? 0 : spec.failureLimit,
        spec.noDataLimit == null ? 3 : spec.noDataLimit, spec.errorLimit == null ? 4 : spec.errorLimit);
  }
}
