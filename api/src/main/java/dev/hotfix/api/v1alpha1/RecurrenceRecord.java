package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Why a Hotfix was flagged as recurring: how many hot fixes its target had in the policy's window. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RecurrenceRecord {

  /** The hot fixes to the target within the window, this one included. */
  @JsonPropertyDescription("The hot fixes to the target within the window, this one included.")
  public Integer count;

  /** The policy's window. */
  @JsonPropertyDescription("The window they were counted in (the HotfixPolicy's spec.recurrence.window), e.g. 7d.")
  public String window;

  /** The earlier hot fixes counted. */
  @Size(max = RecurrenceRule.MAX_THRESHOLD)
  @JsonPropertyDescription("The names of the earlier hot fixes counted, oldest first (kubectl hotfix history TARGET "
      + "shows their outcomes).")
  public List<String> earlier;

  public RecurrenceRecord() {
  }

  public RecurrenceRecord(Integer count, String window, List<String> earlier) {
    this.count = count;
    this.window = window;
    this.earlier = earlier;
  }
}
