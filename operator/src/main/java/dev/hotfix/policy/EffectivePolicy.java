package dev.hotfix.policy;

import dev.hotfix.api.v1alpha1.HotfixPolicy;
import dev.hotfix.api.v1alpha1.HotfixPolicySpec;
import dev.hotfix.api.v1alpha1.Severity;
import dev.hotfix.api.v1alpha1.SeverityRule;
import dev.hotfix.api.v1alpha1.SeverityRules;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A namespace's governance rules with every gap filled: the HotfixPolicy {@code default} where
 * it says something, the built-in defaults field by field where it does not (Critical ships at
 * once and is reviewed after; Major needs one approval; Minor and Trivial wait for the next
 * scheduled release; anyone may declare break-glass Critical; any pinned image; no downtime, no
 * disabled rollback, no {@code onDelete: Leave}; the 3rd hot fix to a target within 7 days recurs).
 */
public final class EffectivePolicy {
  /** The built-in rule of each severity. */
  static final Map<Severity, SeverityAllowance> DEFAULTS = Map.of(
      Severity.Critical, new SeverityAllowance(true, 0, true, false),
      Severity.Major, new SeverityAllowance(true, 1, false, false),
      Severity.Minor, new SeverityAllowance(false, 0, false, false),
      Severity.Trivial, new SeverityAllowance(false, 0, false, false));

  private final String source;
  private final Map<Severity, SeverityAllowance> allowances;
  private final ApproverList approvers;
  private final List<WeeklyWindow> maintenanceWindows;
  private final List<Freeze> freezes;
  private final ApproverList breakGlass;
  private final SpecLimits specLimits;
  private final RecurrencePolicy recurrence;

  private EffectivePolicy(String source, Map<Severity, SeverityAllowance> allowances, ApproverList approvers,
      List<WeeklyWindow> maintenanceWindows, List<Freeze> freezes, ApproverList breakGlass, SpecLimits specLimits,
      RecurrencePolicy recurrence) {
    this.source = source;
    this.allowances = allowances;
    this.approvers = approvers;
    this.maintenanceWindows = maintenanceWindows;
    this.freezes = freezes;
    this.breakGlass = breakGlass;
    this.specLimits = specLimits;
    this.recurrence = recurrence;
  }

  /**
   * The rules for a namespace.
   *
   * @param namespace where the policy applies, for messages
   * @param policy the namespace's HotfixPolicy {@code default}, empty when there is none
   * @throws PolicyProblem when a window cannot be read, or a severity is limited to windows the
   *     policy does not define (the message names the field)
   */
  public static EffectivePolicy of(String namespace, Optional<HotfixPolicy> policy) {
    HotfixPolicySpec spec = policy.map(HotfixPolicy::getSpec).orElse(null);
    String source = policy.isPresent()
        ? "HotfixPolicy " + HotfixPolicy.DEFAULT_NAME + " in namespace " + namespace
        : "the built-in policy (namespace " + namespace + " has no HotfixPolicy " + HotfixPolicy.DEFAULT_NAME + ")";
    if (spec == null) {
      return new EffectivePolicy(source, DEFAULTS, ApproverList.of(policy), List.of(), List.of(),
          ApproverList.ANYONE, SpecLimits.DEFAULTS, RecurrencePolicy.DEFAULTS);
    }
    Map<Severity, SeverityAllowance> allowances = new EnumMap<>(Severity.class);
    for (Severity s : Severity.values()) {
      allowances.put(s, merge(DEFAULTS.get(s), ruleOf(spec.severities, s)));
    }
    List<WeeklyWindow> windows = new ArrayList<>();
    for (int i = 0; spec.maintenanceWindows != null && i < spec.maintenanceWindows.size(); i++) {
      windows.add(WeeklyWindow.of(spec.maintenanceWindows.get(i), "spec.maintenanceWindows[" + i + "]"));
    }
    List<Freeze> freezes = new ArrayList<>();
    for (int i = 0; spec.freezeWindows != null && i < spec.freezeWindows.size(); i++) {
      freezes.add(Freeze.of(spec.freezeWindows.get(i), "spec.freezeWindows[" + i + "]"));
    }
    if (windows.isEmpty()) {
      for (Severity s : Severity.values()) {
        SeverityAllowance a = allowances.get(s);
        if (a.allowed() && a.maintenanceWindowOnly()) {
          throw new PolicyProblem("spec.severities." + s + ".maintenanceWindowOnly is true but the policy defines no "
              + "maintenanceWindows: add spec.maintenanceWindows, or set maintenanceWindowOnly: false");
        }
      }
    }
    ApproverList breakGlass = spec.breakGlass == null ? ApproverList.ANYONE
        : new ApproverList(spec.breakGlass.users, spec.breakGlass.groups);
    return new EffectivePolicy(source, allowances, ApproverList.of(policy), List.copyOf(windows),
        List.copyOf(freezes), breakGlass, SpecLimits.of(spec), RecurrencePolicy.of(spec.recurrence));
  }

  /** Where the rules come from, for messages: the HotfixPolicy or the built-in defaults. */
  public String source() {
    return source;
  }

  public SeverityAllowance allowance(Severity severity) {
    return allowances.get(severity);
  }

  /** Whose decisions count. */
  public ApproverList approvers() {
    return approvers;
  }

  /** Who may declare break-glass Critical ({@code spec.breakGlass}; empty: anyone). */
  public ApproverList breakGlass() {
    return breakGlass;
  }

  /** What a Hotfix spec may choose: images, weakening settings, ranges. */
  SpecLimits specLimits() {
    return specLimits;
  }

  /** When hot fixes to one target recur ({@code spec.recurrence}). */
  public RecurrencePolicy recurrence() {
    return recurrence;
  }

  /** The maintenance window open at {@code now}, with when it closes. */
  Optional<Open> openWindow(Instant now) {
    return maintenanceWindows.stream()
        .flatMap(w -> w.occurrenceAt(now).map(o -> new Open(w, o.closes())).stream())
        .findFirst();
  }

  /** The maintenance window opening next after {@code now}, with when. */
  Open nextWindow(Instant now) {
    return maintenanceWindows.stream().map(w -> new Open(w, w.nextOpeningAfter(now)))
        .min(Comparator.comparing(Open::at)).orElseThrow();
  }

  /** The freeze in force at {@code now} that ends last (freezes may overlap). */
  Optional<Freeze> freezeAt(Instant now) {
    return freezes.stream().filter(f -> f.holds(now)).max(Comparator.comparing(Freeze::end));
  }

  /** A window and an instant: when it closes (if open) or opens (if next). */
  record Open(WeeklyWindow window, Instant at) {
  }

  private static SeverityRule ruleOf(SeverityRules rules, Severity s) {
    if (rules == null) {
      return null;
    }
    return switch (s) {
      case Critical -> rules.critical;
      case Major -> rules.major;
      case Minor -> rules.minor;
      case Trivial -> rules.trivial;
    };
  }

  private static SeverityAllowance merge(SeverityAllowance d, SeverityRule rule) {
    if (rule == null) {
      return d;
    }
    return new SeverityAllowance(
        rule.allowed != null ? rule.allowed : d.allowed(),
        rule.approvals != null ? rule.approvals : d.approvals(),
        rule.reviewAfter != null ? rule.reviewAfter : d.reviewAfter(),
        rule.maintenanceWindowOnly != null ? rule.maintenanceWindowOnly : d.maintenanceWindowOnly());
  }
}
