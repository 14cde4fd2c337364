package dev.hotfix.health;

import java.math.BigDecimal;
import java.util.function.DoublePredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A check's {@code failWhen}: a comparison of the measured scalar with a number, e.g.
 * {@code "> 0.05"}. Parsed once more here (the CRD pattern already refuses most bad input) so
 * that a threshold the operator cannot read rejects the Hotfix rather than being guessed.
 *
 * @param operator one of {@code > >= < <= == !=}
 * @param bound the number compared with
 */
public record Threshold(String operator, double bound) {
  private static final Pattern SYNTAX =
      Pattern.compile("^\\s*(>=|<=|==|!=|>|<)\\s*([-+]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?)\\s*$");

  /**
   * Parses {@code "> 0.05"} and the like.
   *
   * @throws IllegalArgumentException with what to write instead
   */
  public static Threshold parse(String failWhen) {
    Matcher m = SYNTAX.matcher(failWhen == null ? "" : failWhen);
    if (!m.matches()) {
      throw new IllegalArgumentException("failWhen \"" + failWhen + "\" is not a comparison: write one of > >= < <= "
          + "== != followed by a number, e.g. \"> 0.05\"");
    }
    double bound = Double.parseDouble(m.group(2));
    if (Double.isInfinite(bound)) {
      // "> 1e999" reads as "> Infinity": a check no measurement could ever fail
      throw new IllegalArgumentException("failWhen \"" + failWhen + "\" compares with a number too large to "
          + "represent (infinity), so no measurement could ever meet it: write a finite threshold, e.g. \"> 0.05\"");
    }
    return new Threshold(m.group(1), bound);
  }

  /** Whether {@code value} meets the failure condition. */
  public boolean isMetBy(double value) {
    DoublePredicate test = switch (operator) {
      case ">" -> v -> v > bound;
      case ">=" -> v -> v >= bound;
      case "<" -> v -> v < bound;
      case "<=" -> v -> v <= bound;
      case "==" -> v -> v == bound;
      case "!=" -> v -> v != bound;
      default -> throw new IllegalStateException("unknown operator " + operator);
    };
    return test.test(value);
  }

  /** The comparison as written in the rollback reason, e.g. {@code > 0.05}. */
  @Override
  public String toString() {
    return operator + " " + BigDecimal.valueOf(bound).stripTrailingZeros().toPlainString();
  }
}
