package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** The workload a Hotfix patches; always in the Hotfix's own namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TargetRef {

  /** The workload's kind. */
  @Default("Deployment")
  @JsonPropertyDescription("The workload's kind: Deployment (the default), StatefulSet or DaemonSet. Each is "
      + "rolled out with its own controller's rolling update and rolled back to the exact pod template of the "
      + "revision it replaced (a ReplicaSet's, or a ControllerRevision's).")
  public TargetKind kind;

  /** The workload's name. */
  @Required
  @Size(min = 1, max = 253)
  @Pattern(ApiPatterns.DNS_SUBDOMAIN)
  @JsonPropertyDescription("The workload's name, in the Hotfix's own namespace (a Hotfix cannot reach into another "
      + "namespace).")
  public String name;
}
