package dev.hotfix.policy;

import java.util.Locale;

/**
 * An image reference as the container runtime resolves it: the fully qualified repository
 * (registry host lower-cased; {@code docker.io} and {@code library/} filled in for short names,
 * as the docker reference grammar does) and whether it is pinned by digest. Policies match the
 * repository, so {@code nginx:1.27} cannot slip past a list that names {@code docker.io/library/*}
 * only by being written short, and {@code registry.example.com.evil.io/x} is not
 * {@code registry.example.com/**}.
 *
 * @param repository the fully qualified repository, without tag or digest
 * @param digested whether the reference carries a {@code @sha256:} digest
 */
public record ImageReference(String repository, boolean digested) {
  private static final String DEFAULT_REGISTRY = "docker.io";

  /** Reads a reference the schema already checked (see {@code ApiPatterns.PINNED_IMAGE}). */
  public static ImageReference parse(String image) {
    int at = image.indexOf('@');
    boolean digested = at >= 0 && image.startsWith("sha256:", at + 1);
    String name = at >= 0 ? image.substring(0, at) : image;
    int slash = name.lastIndexOf('/');
    int colon = name.lastIndexOf(':');
    if (colon > slash) {
      name = name.substring(0, colon);
    }
    int firstSlash = name.indexOf('/');
    String first = firstSlash < 0 ? "" : name.substring(0, firstSlash);
    boolean hasRegistry = first.contains(".") || first.contains(":") || first.equals("localhost")
        || first.startsWith("[");
    String repository;
    if (hasRegistry) {
      repository = first.toLowerCase(Locale.ROOT) + name.substring(firstSlash);
    } else if (firstSlash < 0) {
      repository = DEFAULT_REGISTRY + "/library/" + name;
    } else {
      repository = DEFAULT_REGISTRY + "/" + name;
    }
    return new ImageReference(repository, digested);
  }
}
