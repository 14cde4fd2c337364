package dev.hotfix.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ThresholdTest {

  @ParameterizedTest
  @CsvSource({
      "> 0.05,   0.06, true",
      "> 0.05,   0.05, false",
      ">= 0.05,  0.05, true",
      "< 10,     9.99, true",
      "<= 10,    10.5, false",
      "== 1,     1,    true",
      "!= 1,     1,    false",
      ">1e-3,    0.01, true",
      "'  < -2 ', -3,  true",
  })
  void comparesTheMeasuredValueWithTheBound(String failWhen, double value, boolean fails) {
    assertThat(Threshold.parse(failWhen).isMetBy(value)).isEqualTo(fails);
  }

  @Test
  void printsAsWrittenForTheRollbackReason() {
    assertThat(Threshold.parse(">0.050").toString()).isEqualTo("> 0.05");
    assertThat(Threshold.parse("<= 250").toString()).isEqualTo("<= 250");
    assertThat(Threshold.parse("> 1e-5").toString()).isEqualTo("> 0.00001");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "0.05", "=> 1", "> abc", "> 1 or < 0", ">"})
  void refusesWhatIsNotAComparisonSayingWhatToWrite(String failWhen) {
    assertThatThrownBy(() -> Threshold.parse(failWhen)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("> >= < <= == !=").hasMessageContaining("e.g. \"> 0.05\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"> 1e999", "< -1e400"})
  void refusesABoundThatOverflowsToInfinity(String failWhen) {
    assertThatThrownBy(() -> Threshold.parse(failWhen)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("infinity").hasMessageContaining("write a finite threshold");
  }
}
