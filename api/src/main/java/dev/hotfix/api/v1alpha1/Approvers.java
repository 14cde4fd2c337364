package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The people and groups whose approvals count. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Approvers {

  /** User names as the API server authenticates them. */
  @Size(max = 100)
  @JsonPropertyDescription("User names as the API server authenticates them, e.g. alice@example.com.")
  public List<String> users;

  /** Group names as the API server authenticates them. */
  @Size(max = 100)
  @JsonPropertyDescription("Group names as the API server authenticates them, e.g. sre-leads.")
  public List<String> groups;
}
