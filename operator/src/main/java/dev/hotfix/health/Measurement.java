package dev.hotfix.health;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * One measurement of a metric check: what the provider saw and what it means. Only
 * {@link Result#PASS} is evidence of health; no data and provider errors are counted apart so
 * that a silent or broken Prometheus can never promote a Hotfix.
 *
 * @param result the outcome
 * @param value the measured number (possibly NaN or ±Inf), empty when there was none
 * @param message a short text for status (never a response body)
 * @param at when it was taken
 */
public record Measurement(Result result, OptionalDouble value, String message, Instant at) {
  private static final MathContext SIGNIFICANT = new MathContext(4);

  /** The four outcomes of a measurement. */
  public enum Result {
    /** The value did not meet failWhen. */
    PASS,
    /** The value met failWhen. */
    FAIL,
    /** Empty result, NaN or ±Inf: nothing to judge. */
    NO_DATA,
    /** The provider could not answer: unreachable, timeout, HTTP error, refused query, several series. */
    ERROR;

    /** The lower-case tag used for metrics ({@code pass}, {@code fail}, {@code no_data}, {@code error}). */
    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The value as status shows it: a number, NaN, ±Inf, or empty when there was none. */
  public String valueText() {
    return value.isPresent() ? format(value.getAsDouble()) : "";
  }

  /**
   * A number printed compactly with four significant digits ({@code 0.4812}, {@code 0.00003123},
   * {@code 1250}), and Prometheus' spelling of the special values.
   */
  public static String format(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return "0";
    }
    return new BigDecimal(v).round(SIGNIFICANT).stripTrailingZeros().toPlainString();
  }
}
