package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A change freeze: an absolute period in which only Critical hot fixes ship. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "timestamp(self.end) > timestamp(self.start)", message = "end must be after start")
public class FreezeWindow {

  /** When the freeze begins. */
  @Required
  @JsonPropertyDescription("When the freeze begins (RFC 3339, e.g. 2026-11-26T00:00:00Z).")
  public String start;

  /** When the freeze ends. */
  @Required
  @JsonPropertyDescription("When the freeze ends (RFC 3339).")
  public String end;

  /** Why there is a freeze. */
  @Size(max = 256)
  @Pattern(ApiPatterns.PRINTABLE_TEXT)
  @JsonPropertyDescription("Why there is a freeze, shown to whoever's Hotfix is held (no control characters but tab "
      + "and line breaks).")
  public String reason;
}
