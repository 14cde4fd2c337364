package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A container and the image it should run. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ContainerImage {

  /** The container's name in the pod template. */
  @Required
  @Size(min = 1, max = 63)
  @Pattern(ApiPatterns.DNS_LABEL)
  @JsonPropertyDescription("The container's name; it must exist in the target's pod template, as a container or "
      + "an init container.")
  public String name;

  /** The image reference, pinned by tag or digest. */
  @Required
  @Size(min = 1, max = 512)
  @Pattern(ApiPatterns.PINNED_IMAGE)
  @JsonPropertyDescription("The image to run, pinned by tag and/or digest, e.g. "
      + "registry.example.com/checkout:1.4.2-hotfix.1 (an implicit :latest is refused).")
  public String image;

  public ContainerImage() {
  }

  public ContainerImage(String name, String image) {
    this.name = name;
    this.image = image;
  }
}
