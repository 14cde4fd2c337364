package dev.hotfix.sandbox.api;

/**
 * The API server's RBAC authorizer over the RBAC objects in the store: what kubectl creates
 * counts from the next request on. The policy is read once per change to an RBAC object (the
 * store counts them), not per request.
 */
public final class Authorizer {
  static final String RBAC_PREFIX = "/apis/rbac.authorization.k8s.io/";
  private static final String RBAC_V1 = RBAC_PREFIX + "v1/";

  private final CrudStore store;
  private volatile Cached cached = new Cached(-1, null);

  private record Cached(long rbacChanges, RbacPolicy policy) {
  }

  Authorizer(CrudStore store) {
    this.store = store;
  }

  /** Whether the request is allowed, and by which binding. */
  RbacPolicy.Decision authorize(AuthorizationAttributes request) {
    return policy().authorize(request);
  }

  /** Refuses a request that nothing allows, with upstream's message. */
  void check(AuthorizationAttributes request) {
    if (!authorize(request).allowed()) {
      throw request.forbidden();
    }
  }

  /** The policy as of the latest RBAC write. */
  RbacPolicy policy() {
    long changes = store.rbacChanges();
    Cached now = cached;
    if (now.rbacChanges() == changes) {
      return now.policy();
    }
    // read after the count: a write meanwhile advances it, and the next request reads again
    RbacPolicy policy = RbacPolicy.of(store.list(RBAC_V1 + "roles"), store.list(RBAC_V1 + "rolebindings"),
        store.list(RBAC_V1 + "clusterroles"), store.list(RBAC_V1 + "clusterrolebindings"));
    cached = new Cached(changes, policy);
    return policy;
  }
}
