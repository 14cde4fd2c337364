package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A Secret in the same namespace, by name. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretRef {

  /** The Secret's name. */
  @Required
  @Size(min = 1, max = 253)
  @Pattern(ApiPatterns.DNS_SUBDOMAIN)
  @JsonPropertyDescription("The Secret's name, in the same namespace.")
  public String name;
}
