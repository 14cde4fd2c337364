package dev.hotfix.sandbox.api;

import java.util.Arrays;
import java.util.Optional;

/**
 * The REST paths of resources: parsing a request path into a {@link ResourceRef} and writing the
 * path of a reference back, for the core group ({@code /api/v1/...}) and named groups
 * ({@code /apis/apps/v1/...}), namespaced or cluster-scoped, with an optional subresource.
 */
public final class ApiPaths {
  private ApiPaths() {
  }

  /**
   * Parses a path (without query) that addresses a group-version or a resource in it.
   *
   * @return the reference ({@code plural} null for the group-version itself), or empty when the
   *     path is not under {@code /api/v1} or {@code /apis/g/v}
   */
  public static Optional<ResourceRef> parse(String path) {
    String[] all = path.replaceAll("^/+|/+$", "").split("/");
    int start;
    String group;
    if (all.length >= 2 && all[0].equals("api")) {
      group = "";
      start = 1;
    } else if (all.length >= 3 && all[0].equals("apis")) {
      group = all[1];
      start = 2;
    } else {
      return Optional.empty();
    }
    String version = all[start];
    String[] rest = Arrays.copyOfRange(all, start + 1, all.length);
    String namespace = null;
    int at = 0;
    // "namespaces/x" (and its subresources) is the Namespace object; "namespaces/x/<plural>..."
    // scopes a resource.
    boolean namespaceSubresource = rest.length == 3 && (rest[2].equals("status") || rest[2].equals("finalize"));
    if (rest.length >= 3 && rest[0].equals("namespaces") && !namespaceSubresource) {
      namespace = rest[1];
      at = 2;
    }
    int left = rest.length - at;
    if (left > 3) {
      return Optional.empty();
    }
    return Optional.of(new ResourceRef(group, version,
        left > 0 ? rest[at] : null,
        namespace,
        left > 1 ? rest[at + 1] : null,
        left > 2 ? rest[at + 2] : null));
  }

  /** The path of the addressed collection, object or subresource. */
  public static String of(ResourceRef ref) {
    StringBuilder path = new StringBuilder(groupVersionPath(ref.group(), ref.version()));
    if (ref.namespace() != null) {
      path.append("/namespaces/").append(ref.namespace());
    }
    path.append('/').append(ref.plural());
    if (ref.name() != null) {
      path.append('/').append(ref.name());
      if (ref.subresource() != null) {
        path.append('/').append(ref.subresource());
      }
    }
    return path.toString();
  }

  /** {@code /api/v1} or {@code /apis/apps/v1}. */
  public static String groupVersionPath(String group, String version) {
    return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
  }

  /** The same reference without its subresource (the object itself). */
  public static ResourceRef object(ResourceRef ref) {
    return new ResourceRef(ref.group(), ref.version(), ref.plural(), ref.namespace(), ref.name(), null);
  }
}
