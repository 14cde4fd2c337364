package dev.hotfix.sandbox.api;

/**
 * The resource a request addresses, parsed from its path ({@code /apis/apps/v1/namespaces/shop/deployments/web/status}).
 *
 * @param group API group, "" for the core group
 * @param version API version
 * @param plural resource plural ({@code deployments})
 * @param namespace namespace, null for cluster-scoped resources or all-namespace lists
 * @param name object name, null for collections
 * @param subresource {@code status}, {@code scale}, ... or null
 */
public record ResourceRef(String group, String version, String plural, String namespace, String name,
    String subresource) {

  /** {@code apps/v1}, or {@code v1} for the core group. */
  public String apiVersion() {
    return group == null || group.isEmpty() ? version : group + "/" + version;
  }

  public boolean isStatus() {
    return "status".equals(subresource);
  }
}
