package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One field of the Deployment as the patch changes it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FieldChange {

  /** The field, e.g. {@code spec.template.spec.containers[app].image}. */
  @JsonPropertyDescription("The field, e.g. spec.template.spec.containers[app].image (list items by name).")
  public String path;

  /** The value before the patch. */
  @JsonPropertyDescription("The value before the patch (JSON for objects and lists); absent when the field was "
      + "absent.")
  public String before;

  /** The value after the patch. */
  @JsonPropertyDescription("The value after the patch, as the API server's dry run answered it (admission's "
      + "defaults and webhook mutations included); absent when the patch removes the field.")
  public String after;

  public FieldChange() {
  }

  public FieldChange(String path, String before, String after) {
    this.path = path;
    this.before = before;
    this.after = after;
  }
}
