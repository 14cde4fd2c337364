package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One key of a Secret in the same namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretKeyRef {

  /** The Secret's name. */
  @Required
  @Size(min = 1, max = 253)
  @Pattern(ApiPatterns.DNS_SUBDOMAIN)
  @JsonPropertyDescription("The Secret's name, in the same namespace.")
  public String name;

  /** The key within the Secret. */
  @Size(min = 1, max = 253)
  @Pattern("^[-._a-zA-Z0-9]+$")
  @JsonPropertyDescription("The key within the Secret; each use documents its default.")
  public String key;
}
