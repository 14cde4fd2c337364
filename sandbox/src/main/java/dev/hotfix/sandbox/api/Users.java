package dev.hotfix.sandbox.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authentication and impersonation, as a real API server's filters do them before any handler:
 * who sent the request, then who the request acts as.
 *
 * <ul>
 *   <li>No credentials: {@link UserInfo#SANDBOX_ADMIN}. The written kubeconfig has none, so kubectl,
 *       {@code run} and every client of {@link ApiServer#client()} are that user.</li>
 *   <li>{@code Authorization: Bearer TOKEN} with the token of the simulated cluster's client:
 *       {@link UserInfo#CONTROLLERS}; with a token issued for a ServiceAccount: that account
 *       ({@code system:serviceaccount:NS:NAME}). Any other token, or other credentials: 401, as
 *       upstream answers credentials it cannot verify.</li>
 *   <li>{@code Impersonate-User}, {@code Impersonate-Group} (repeated), {@code Impersonate-Uid} and
 *       {@code Impersonate-Extra-KEY}, what {@code kubectl --as/--as-group/--as-uid} send: the
 *       request acts as that user, if the authenticated user may {@code impersonate} that user (or
 *       ServiceAccount), each group, the uid and each extra value, as upstream's impersonation
 *       filter checks; otherwise 403.</li>
 * </ul>
 */
final class Users {
  private static final String EXTRA_PREFIX = "impersonate-extra-";
  private static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";
  private static final String BEARER = "Bearer ";
  private static final String IMPERSONATE = "impersonate";
  private static final String AUTHENTICATION = "authentication.k8s.io";

  private static final SecureRandom RANDOM = new SecureRandom();

  /** A secret per server, so only the sandbox's own client passes as its controllers. */
  private final String controllersToken = randomToken();
  /** The ServiceAccount tokens issued so far. */
  private final Map<String, UserInfo> serviceAccountTokens = new ConcurrentHashMap<>();
  private final Authorizer authorizer;

  Users(Authorizer authorizer) {
    this.authorizer = authorizer;
  }

  private static String randomToken() {
    byte[] random = new byte[24];
    RANDOM.nextBytes(random);
    return HexFormat.of().formatHex(random);
  }

  /** A new token that authenticates as ServiceAccount {@code namespace/name}. */
  String issueServiceAccountToken(String namespace, String name) {
    String token = randomToken();
    serviceAccountTokens.put(token, withUpstreamGroups(SERVICE_ACCOUNT_PREFIX + namespace + ":" + name, List.of(),
        "", Map.of()));
    return token;
  }

  /** The bearer token of the simulated cluster's client. */
  String controllersToken() {
    return controllersToken;
  }

  /**
   * The user a request acts as.
   *
   * @param headers the request's headers, names in lower case, every value of each
   * @throws ApiError 401 for credentials the sandbox did not issue, 400 for impersonation
   *     headers without {@code Impersonate-User}, 403 for impersonation the user may not do
   */
  UserInfo authenticate(Map<String, List<String>> headers) {
    UserInfo authenticated = credentialsOf(first(headers, "authorization"));
    String user = first(headers, "impersonate-user");
    List<String> groups = headers.getOrDefault("impersonate-group", List.of());
    String uid = first(headers, "impersonate-uid");
    Map<String, List<String>> extra = new LinkedHashMap<>();
    headers.forEach((name, values) -> {
      if (name.startsWith(EXTRA_PREFIX)) {
        String key = URLDecoder.decode(name.substring(EXTRA_PREFIX.length()), StandardCharsets.UTF_8);
        extra.put(key, List.copyOf(values));
      }
    });
    if (user == null) {
      if (!groups.isEmpty() || uid != null || !extra.isEmpty()) {
        throw ApiError.badRequest("impersonating groups, a uid or extra attributes needs a user to impersonate: "
            + "add the Impersonate-User header (kubectl --as NAME)");
      }
      return authenticated;
    }
    checkImpersonation(authenticated, user, groups, uid, extra);
    return withUpstreamGroups(user, groups, uid == null ? "" : uid, extra);
  }

  /** Upstream's checks: {@code impersonate} on users (or serviceaccounts), groups, uids and userextras. */
  private void checkImpersonation(UserInfo by, String user, List<String> groups, String uid,
      Map<String, List<String>> extra) {
    List<AuthorizationAttributes> wanted = new ArrayList<>();
    if (user.startsWith(SERVICE_ACCOUNT_PREFIX) && user.split(":").length == 4) {
      String[] parts = user.split(":");
      wanted.add(AuthorizationAttributes.resource(by, IMPERSONATE, "", "serviceaccounts", "", parts[2], parts[3]));
    } else {
      wanted.add(AuthorizationAttributes.resource(by, IMPERSONATE, "", "users", "", "", user));
    }
    groups.forEach(g -> wanted.add(AuthorizationAttributes.resource(by, IMPERSONATE, "", "groups", "", "", g)));
    if (uid != null) {
      wanted.add(AuthorizationAttributes.resource(by, IMPERSONATE, AUTHENTICATION, "uids", "", "", uid));
    }
    extra.forEach((key, values) -> values.forEach(v -> wanted.add(AuthorizationAttributes.resource(by, IMPERSONATE,
        AUTHENTICATION, "userextras", key, "", v))));
    wanted.forEach(authorizer::check);
  }

  private UserInfo credentialsOf(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      return UserInfo.SANDBOX_ADMIN;
    }
    if (authorization.equals("Bearer " + controllersToken)) {
      return UserInfo.CONTROLLERS;
    }
    if (authorization.startsWith(BEARER)) {
      UserInfo account = serviceAccountTokens.get(authorization.substring(BEARER.length()));
      if (account != null) {
        return account;
      }
    }
    throw ApiError.unauthorized();
  }

  /** Upstream's rules: service accounts get their groups, every named user is authenticated. */
  private static UserInfo withUpstreamGroups(String user, List<String> requestedGroups, String uid,
      Map<String, List<String>> extra) {
    List<String> groups = new ArrayList<>();
    if (user.startsWith(SERVICE_ACCOUNT_PREFIX)) {
      String namespace = user.substring(SERVICE_ACCOUNT_PREFIX.length()).split(":", 2)[0];
      groups.add("system:serviceaccounts");
      groups.add("system:serviceaccounts:" + namespace);
    }
    requestedGroups.stream().filter(g -> !groups.contains(g)).forEach(groups::add);
    boolean anonymous = user.equals("system:anonymous") || groups.contains("system:unauthenticated");
    if (!anonymous && !groups.contains(UserInfo.AUTHENTICATED)) {
      groups.add(UserInfo.AUTHENTICATED);
    }
    return new UserInfo(user, uid, groups, extra);
  }

  private static String first(Map<String, List<String>> headers, String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
