package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * A container's image as found on the Deployment. Unlike {@link ContainerImage} it is not
 * validated: it records whatever the owner ran (e.g. an unpinned {@code nginx}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageRecord {

  /** The container's name. */
  @JsonPropertyDescription("The container's name.")
  public String name;

  /** The image reference, as found. */
  @JsonPropertyDescription("The image reference, exactly as found in the pod template.")
  public String image;

  public ImageRecord() {
  }

  public ImageRecord(String name, String image) {
    this.name = name;
    this.image = image;
  }
}
