package dev.hotfix.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotfix.api.v1alpha1.CheckStatus;
import dev.hotfix.health.Measurement.Result;
import java.time.Instant;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The limits rules, measurement by measurement, without any provider. */
class CheckTallyTest {
  private static final Threshold FAIL_WHEN = Threshold.parse("> 0.05");
  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  private int seconds;

  @Test
  void theFirstFailureRollsBackWhenNoneIsTolerated() {
    CheckTally.Outcome o = new CheckTally(0, 3, 4).record("error-rate", CheckTally.fresh("error-rate"),
        m(Result.FAIL, 0.48123), FAIL_WHEN);

    assertThat(o.failure()).contains("error-rate = 0.4812 > 0.05 (failWhen \"> 0.05\", failure 1 of limit 0)");
    assertThat(o.tally().failed).isEqualTo(1);
    assertThat(o.tally().lastValue).isEqualTo("0.4812");
  }

  @Test
  void valuesAreShownWithFourSignificantDigits() {
    assertThat(Measurement.format(0.48123)).isEqualTo("0.4812");
    assertThat(Measurement.format(0.0000312345)).isEqualTo("0.00003123");
    assertThat(Measurement.format(1250.4)).isEqualTo("1250");
    assertThat(Measurement.format(0)).isEqualTo("0");
    assertThat(Measurement.format(Double.NaN)).isEqualTo("NaN");
  }

  @Test
  void flappingValuesAddUpFailuresAcrossPasses() {
    CheckTally limits = new CheckTally(1, 3, 4);
    CheckStatus s = CheckTally.fresh("error-rate");
    s = noFailure(limits.record("error-rate", s, m(Result.PASS, 0.01), FAIL_WHEN));
    s = noFailure(limits.record("error-rate", s, m(Result.FAIL, 0.2), FAIL_WHEN));
    s = noFailure(limits.record("error-rate", s, m(Result.PASS, 0.01), FAIL_WHEN));
    CheckTally.Outcome last = limits.record("error-rate", s, m(Result.FAIL, 0.3), FAIL_WHEN);

    assertThat(last.failure()).hasValueSatisfying(f -> assertThat(f).contains("failure 2 of limit 1"));
    assertThat(last.tally().passed).isEqualTo(2);
    assertThat(last.tally().failed).isEqualTo(2);
  }

  @Test
  void noDataIsToleratedUpToItsLimitAndNeverCountsAsAPass() {
    CheckTally limits = new CheckTally(0, 2, 4);
    CheckStatus s = CheckTally.fresh("latency");
    s = noFailure(limits.record("latency", s, noData(), FAIL_WHEN));
    s = noFailure(limits.record("latency", s, noData(), FAIL_WHEN));
    CheckTally.Outcome third = limits.record("latency", s, noData(), FAIL_WHEN);

    assertThat(third.failure()).hasValueSatisfying(f -> assertThat(f)
        .startsWith("latency had no data 3 times (noDataLimit 2").contains("empty result"));
    assertThat(third.tally().passed).isZero();
    assertThat(third.tally().noData).isEqualTo(3);
    assertThat(third.tally().lastValue).isEmpty();
  }

  @Test
  void errorsFailOnlyInARowAndAnyOtherOutcomeBreaksTheRun() {
    CheckTally limits = new CheckTally(0, 3, 2);
    CheckStatus s = CheckTally.fresh("restarts");
    s = noFailure(limits.record("restarts", s, error(), FAIL_WHEN));
    s = noFailure(limits.record("restarts", s, error(), FAIL_WHEN));
    s = noFailure(limits.record("restarts", s, m(Result.PASS, 0), FAIL_WHEN));
    assertThat(s.consecutiveErrors).isZero();
    s = noFailure(limits.record("restarts", s, error(), FAIL_WHEN));
    s = noFailure(limits.record("restarts", s, error(), FAIL_WHEN));
    CheckTally.Outcome third = limits.record("restarts", s, error(), FAIL_WHEN);

    assertThat(third.failure()).hasValueSatisfying(f -> assertThat(f)
        .isEqualTo("restarts failed to measure 3 times in a row (errorLimit 2; failWhen \"> 0.05\"): "
            + "connection refused"));
    assertThat(third.tally().errors).isEqualTo(5);
    assertThat(third.tally().consecutiveErrors).isEqualTo(3);
  }

  @Test
  void theTallyBeforeIsLeftUntouchedAndTheLastMeasurementIsRecorded() {
    CheckStatus before = CheckTally.fresh("error-rate");
    CheckTally.Outcome o = new CheckTally(0, 3, 4).record("error-rate", before, m(Result.PASS, 0.001), FAIL_WHEN);

    assertThat(before.passed).isZero();
    assertThat(o.tally().passed).isEqualTo(1);
    assertThat(o.tally().lastMeasuredAt).isEqualTo(T0.plusSeconds(1).toString());
    assertThat(o.tally().lastMessage).isEqualTo("msg");
  }

  private static CheckStatus noFailure(CheckTally.Outcome o) {
    assertThat(o.failure()).isEmpty();
    return o.tally();
  }

  private Measurement m(Result r, double v) {
    return new Measurement(r, OptionalDouble.of(v), "msg", T0.plusSeconds(++seconds));
  }

  private Measurement noData() {
    return new Measurement(Result.NO_DATA, OptionalDouble.empty(), "empty result: no series matched",
        T0.plusSeconds(++seconds));
  }

  private Measurement error() {
    return new Measurement(Result.ERROR, OptionalDouble.empty(), "connection refused", T0.plusSeconds(++seconds));
  }
}
