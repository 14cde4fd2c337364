package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The patch pre-flight dry-ran: what a dry run would apply, what an active Hotfix applies. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PatchRecord {

  /** The exact RFC 6902 JSON Patch. */
  @JsonPropertyDescription("The exact RFC 6902 JSON Patch the API server accepted in a dry run (its first operation "
      + "pins the Deployment's resourceVersion; the rollout's write sends the same operations against the version "
      + "it then reads).")
  public String jsonPatch;

  /** The Deployment's resourceVersion the patch was built against. */
  @JsonPropertyDescription("The Deployment's resourceVersion the patch was built against.")
  public String resourceVersion;

  /** The fields it changes, before and after. */
  @Size(max = 100)
  @JsonPropertyDescription("The Deployment's fields the patch changes (spec and annotations), before and after: "
      + "what `kubectl hotfix diff` prints.")
  public List<FieldChange> changes;
}
