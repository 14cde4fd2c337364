package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Which images a Hotfix may ship in the namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageRules {

  /** Repository patterns an image must match; empty: any repository. */
  @Size(max = 100)
  @JsonPropertyDescription("Repositories a Hotfix may ship images from, as patterns matched against the image's "
      + "fully qualified repository (registry host included, tag and digest left out; docker.io/library/ filled in "
      + "for short names as the container runtime does): `*` matches within one path segment, `**` across "
      + "segments, e.g. registry.example.com/shop/* or registry.example.com/**. Empty or absent: any repository. "
      + "A Hotfix naming an image outside the list is Rejected with nothing changed.")
  public List<@Size(min = 1, max = 255) @Pattern(ApiPatterns.REPOSITORY_PATTERN) String> allowedRepositories;

  /** Whether every image must be pinned by digest. */
  @JsonPropertyDescription("true: every image in spec.containers must be pinned by digest "
      + "(repository[:tag]@sha256:<64 hex>), so that what was approved is byte for byte what runs. Default false.")
  public Boolean requireDigest;
}
