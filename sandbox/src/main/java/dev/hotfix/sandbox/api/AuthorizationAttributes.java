package dev.hotfix.sandbox.api;

import java.util.Locale;

/**
 * What a request asks to do, as upstream's request-info filter derives it for the authorizer: a
 * verb on a resource (group, resource, subresource, namespace, name) or a verb on a non-resource
 * path ({@code /apis}, {@code /healthz}).
 *
 * @param user who asks
 * @param verb {@code get}, {@code list}, {@code watch}, {@code create}, {@code patch}, {@code impersonate}...;
 *     the lower-case HTTP method for non-resource paths
 * @param resourceRequest whether a resource is addressed (else {@code path} is)
 * @param group API group, "" for the core group
 * @param resource the plural ({@code deployments})
 * @param subresource {@code status}, {@code scale}, ... or ""
 * @param namespace the namespace, "" for cluster-scoped requests and all-namespace lists
 * @param name the object's name, "" for collections
 * @param path the request path (non-resource requests)
 */
public record AuthorizationAttributes(UserInfo user, String verb, boolean resourceRequest, String group,
    String resource, String subresource, String namespace, String name, String path) {

  /** A verb on a resource. */
  public static AuthorizationAttributes resource(UserInfo user, String verb, String group, String resource,
      String subresource, String namespace, String name) {
    return new AuthorizationAttributes(user, verb, true, nonNull(group), nonNull(resource), nonNull(subresource),
        nonNull(namespace), nonNull(name), "");
  }

  /** A verb on a path that is no resource. */
  public static AuthorizationAttributes nonResource(UserInfo user, String verb, String path) {
    return new AuthorizationAttributes(user, verb, false, "", "", "", "", "", path);
  }

  /**
   * The attributes of an HTTP request: its verb from the method (and for reads, whether it names
   * an object or watches), the namespace of {@code /namespaces/x} being {@code x} itself, and a
   * list or watch narrowed to one name by {@code fieldSelector=metadata.name=x}, as upstream.
   */
  static AuthorizationAttributes of(ApiRequest request, ResourceRef ref) {
    String method = request.method().toLowerCase(Locale.ROOT);
    if (ref == null || ref.plural() == null) {
      return nonResource(request.user(), method, request.path());
    }
    String name = nonNull(ref.name());
    String verb = switch (method) {
      case "get", "head" -> !name.isEmpty() ? "get" : request.isWatch() ? "watch" : "list";
      case "post" -> "create";
      case "put" -> "update";
      case "patch" -> "patch";
      case "delete" -> name.isEmpty() ? "deletecollection" : "delete";
      default -> method;
    };
    String selector = request.query().getOrDefault("fieldSelector", "");
    if (name.isEmpty() && (verb.equals("list") || verb.equals("watch")) && selector.matches("metadata\\.name=[^,]+")) {
      name = selector.substring("metadata.name=".length());
    }
    String namespace = ref.namespace();
    if (ref.group().isEmpty() && ref.plural().equals("namespaces") && namespace == null) {
      namespace = ref.name();
    }
    return resource(request.user(), verb, ref.group(), ref.plural(), ref.subresource(), namespace, name);
  }

  /** {@code deployments/status}, or the resource alone. */
  public String resourceWithSubresource() {
    return subresource.isEmpty() ? resource : resource + "/" + subresource;
  }

  /**
   * Upstream's refusal, e.g. {@code deployments.apps "web" is forbidden: User "alice" cannot patch
   * resource "deployments" in API group "apps" in the namespace "shop"}.
   */
  ApiError forbidden() {
    if (!resourceRequest) {
      return ApiError.forbidden("", "", "", "User \"" + user.username() + "\" cannot " + verb + " path \"" + path
          + "\"");
    }
    String scope = namespace.isEmpty() ? "at the cluster scope" : "in the namespace \"" + namespace + "\"";
    return ApiError.forbidden(group, resource, name, "User \"" + user.username() + "\" cannot " + verb
        + " resource \"" + resourceWithSubresource() + "\" in API group \"" + group + "\" " + scope);
  }

  private static String nonNull(String value) {
    return value == null ? "" : value;
  }
}
