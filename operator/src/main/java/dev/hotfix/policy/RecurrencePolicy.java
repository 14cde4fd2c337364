package dev.hotfix.policy;

import dev.hotfix.api.v1alpha1.ApiPatterns;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.RecurrenceRule;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A namespace's rule for recurring hot fixes, defaults filled in: the {@code threshold}th hot fix
 * to one target within {@code window} (the new one included) recurs; with
 * {@code requireApproval} a recurring one waits for an approval whatever its severity.
 */
public record RecurrencePolicy(int threshold, String window, boolean requireApproval) {
  /** The built-in rule: the 3rd hot fix within 7 days recurs; no extra approval. */
  public static final RecurrencePolicy DEFAULTS = new RecurrencePolicy(3, "7d", false);

  /**
   * The rule a policy's {@code spec.recurrence} says, defaults where it says nothing.
   *
   * @throws PolicyProblem when a value is out of range (the schema refuses these; a policy
   *     stored without it still gets a clear answer)
   */
  static RecurrencePolicy of(RecurrenceRule rule) {
    if (rule == null) {
      return DEFAULTS;
    }
    int threshold = rule.threshold == null ? DEFAULTS.threshold : rule.threshold;
    if (threshold < 2 || threshold > RecurrenceRule.MAX_THRESHOLD) {
      throw new PolicyProblem("spec.recurrence.threshold " + threshold + " is out of range: use 2 to "
          + RecurrenceRule.MAX_THRESHOLD);
    }
    String window = rule.window == null ? DEFAULTS.window : rule.window;
    if (!window.matches(ApiPatterns.RECURRENCE_WINDOW)) {
      throw new PolicyProblem("spec.recurrence.window \"" + window + "\" is not a duration: write a number and d, h "
          + "or m, e.g. 7d or 36h");
    }
    return new RecurrencePolicy(threshold, window, Boolean.TRUE.equals(rule.requireApproval));
  }

  /** How far back earlier hot fixes count. */
  public Duration windowLength() {
    long n = Long.parseLong(window.substring(0, window.length() - 1));
    return switch (window.charAt(window.length() - 1)) {
      case 'd' -> Duration.ofDays(n);
      case 'h' -> Duration.ofHours(n);
      default -> Duration.ofMinutes(n);
    };
  }

  /** Whether {@code hotfix} recurs, counting the earlier hot fixes that started within the window before {@code now}. */
  Recurrence judge(Hotfix hotfix, PriorHotfixes prior, Instant now) {
    Instant since = now.minus(windowLength());
    String uid = hotfix.getMetadata().getUid();
    List<PriorHotfixes.Prior> earlier = prior.hotfixes().stream()
        .filter(p -> !Objects.equals(p.uid(), uid) && p.startedAt() != null && !p.startedAt().isBefore(since))
        .sorted(Comparator.comparing(PriorHotfixes.Prior::startedAt)).toList();
    String target = hotfix.getSpec().target == null ? "" : hotfix.getSpec().target.name;
    return new Recurrence(earlier.size() + 1, threshold, window, target,
        earlier.stream().map(PriorHotfixes.Prior::name).toList(), prior.unknown());
  }

  /**
   * Why {@code recurrence} needs an approval under this rule, empty when it does not: it recurs,
   * or its target's history cannot be read (so it might).
   */
  Optional<String> approvalRequired(Recurrence recurrence, String source) {
    if (!requireApproval) {
      return Optional.empty();
    }
    if (recurrence.recurs()) {
      return Optional.of("spec.recurrence.requireApproval of " + source + ": a recurring hot fix waits for an "
          + "approval, even Critical");
    }
    return recurrence.unknown().map(why -> "spec.recurrence.requireApproval of " + source + ": the target's history "
        + "cannot be read (" + why + "), so this hot fix may recur and waits for an approval, even Critical");
  }

  /**
   * "recurring: 3 hot fixes to checkout in 7 days": how status, Events and the incident report say it.
   *
   * @param window a window as the policy writes it ({@code 7d}, {@code 36h}, {@code 90m})
   */
  public static String describe(int count, String target, String window) {
    return "recurring: " + count + " hot fixes to " + target + " in " + inWords(window);
  }

  /** {@code 7d} → {@code 7 days}, {@code 1h} → {@code 1 hour}; anything else as written. */
  static String inWords(String window) {
    if (window == null || !window.matches(ApiPatterns.RECURRENCE_WINDOW)) {
      return String.valueOf(window);
    }
    String n = window.substring(0, window.length() - 1);
    String unit = switch (window.charAt(window.length() - 1)) {
      case 'd' -> "day";
      case 'h' -> "hour";
      default -> "minute";
    };
    return n + " " + unit + (n.equals("1") ? "" : "s");
  }

  /**
   * What the rule found for one Hotfix.
   *
   * @param count the hot fixes to the target within the window, this one included
   * @param threshold the count from which it recurs
   * @param window the window, as the policy writes it
   * @param target the target's name
   * @param earlier the earlier hot fixes counted, oldest first
   * @param unknown why the target's history could not be read, if it could not
   */
  public record Recurrence(int count, int threshold, String window, String target, List<String> earlier,
      Optional<String> unknown) {

    public boolean recurs() {
      return count >= threshold;
    }

    /** "recurring: 3 hot fixes to checkout in 7 days". */
    public String message() {
      return describe(count, target, window);
    }
  }
}
