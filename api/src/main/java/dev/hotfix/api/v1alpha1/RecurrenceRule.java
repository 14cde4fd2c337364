package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/**
 * When hot fixes to one target count as recurring (a sign of a deeper process gap), and whether
 * a recurring one must wait for an approval even when its severity would ship it at once.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RecurrenceRule {
  /** The most hot fixes one target's history keeps, and so the largest threshold that can be reached. */
  public static final int MAX_THRESHOLD = 20;

  /** How many hot fixes to one target within the window, the new one included, make it recurring. */
  @Min(2)
  @Max(MAX_THRESHOLD)
  @JsonPropertyDescription("How many hot fixes to one target within the window, the new one included, make it "
      + "recurring (a Warning Event RecurringHotfix, the metric hotfix_recurring_total, status.recurrence and a "
      + "line in the incident report). Hot fixes that started count (a Rejected one changed nothing and does not). "
      + "Default 3.")
  public Integer threshold;

  /** How far back earlier hot fixes count. */
  @Pattern(ApiPatterns.RECURRENCE_WINDOW)
  @JsonPropertyDescription("How far back earlier hot fixes to the same target count, as a number and a unit: "
      + "d (days), h (hours) or m (minutes), e.g. 7d, 36h. Default 7d.")
  public String window;

  /** Whether a recurring hot fix waits for an approval whatever its severity. */
  @JsonPropertyDescription("true: a recurring hot fix waits in AwaitingApproval for at least one approval, even a "
      + "break-glass Critical one that would otherwise ship at once (its message says it recurs). Also when the "
      + "target's history cannot be read. Default false.")
  public Boolean requireApproval;
}
