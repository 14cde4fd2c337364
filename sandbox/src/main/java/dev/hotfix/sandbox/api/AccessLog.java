package dev.hotfix.sandbox.api;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every distinct access each user asked for and the authorizer's answer, like an audit log
 * reduced to what RBAC judges: which verbs on which resources (and names, namespaces) a client
 * really uses, to compare with the roles it is given.
 */
public final class AccessLog {
  /**
   * One distinct access.
   *
   * @param verb the verb ({@code get}, {@code watch}, {@code patch}...)
   * @param group the API group, "" for core
   * @param resource the plural, "" for a non-resource path
   * @param subresource the subresource or ""
   * @param namespace the namespace or "" (cluster scope, all namespaces)
   * @param name the object's name or ""
   * @param path the path of a non-resource request, else ""
   * @param allowed whether the authorizer allowed it
   */
  public record Access(String verb, String group, String resource, String subresource, String namespace, String name,
      String path, boolean allowed) {
    static Access of(AuthorizationAttributes a, boolean allowed) {
      return new Access(a.verb(), a.group(), a.resource(), a.subresource(), a.namespace(), a.name(), a.path(),
          allowed);
    }
  }

  private final Map<String, Set<Access>> byUser = new ConcurrentHashMap<>();

  void record(AuthorizationAttributes request, boolean allowed) {
    byUser.computeIfAbsent(request.user().username(), u -> ConcurrentHashMap.newKeySet())
        .add(Access.of(request, allowed));
  }

  /** The distinct accesses {@code username} asked for so far. */
  public List<Access> of(String username) {
    return List.copyOf(byUser.getOrDefault(username, Set.of()));
  }
}
