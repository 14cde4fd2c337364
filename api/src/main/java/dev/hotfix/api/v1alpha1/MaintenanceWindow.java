package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** A weekly recurring time range in a time zone, e.g. Sat and Sun 02:00-04:00 Europe/Berlin. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MaintenanceWindow {

  /** The days the window opens on. */
  @Required
  @Size(min = 1, max = 7)
  @JsonPropertyDescription("The days the window opens on: Mon Tue Wed Thu Fri Sat Sun.")
  public List<Weekday> days;

  /** Opening time. */
  @Required
  @Pattern(ApiPatterns.CLOCK_TIME)
  @JsonPropertyDescription("Opening time, HH:MM (24-hour) in timeZone.")
  public String start;

  /** Closing time; before start means the window runs past midnight. */
  @Required
  @Pattern(ApiPatterns.CLOCK_TIME)
  @JsonPropertyDescription("Closing time, HH:MM (24-hour) in timeZone; earlier than start means the window runs past "
      + "midnight into the next day.")
  public String end;

  /** IANA time zone. */
  @Default("UTC")
  @Size(min = 1, max = 64)
  @JsonPropertyDescription("IANA time zone of start and end, e.g. Europe/Berlin. Default UTC.")
  public String timeZone;
}
