package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One moment in a Hotfix's life. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TimelineEntry {

  /** When it happened. */
  @JsonPropertyDescription("When it happened (RFC 3339).")
  public String time;

  /** The phase at that moment. */
  @JsonPropertyDescription("The phase at that moment.")
  public Phase phase;

  /** What happened. */
  @JsonPropertyDescription("What happened.")
  public String message;

  public TimelineEntry() {
  }

  public TimelineEntry(String time, Phase phase, String message) {
    this.time = time;
    this.phase = phase;
    this.message = message;
  }
}
