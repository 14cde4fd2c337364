package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * Who is asking, as a real API server's authentication leaves it on a request and as admission
 * webhooks receive it ({@code request.userInfo}) and {@code kubectl auth whoami} prints it.
 *
 * @param username the user name ({@code sandbox-admin}, {@code alice}, {@code system:kube-controller-manager})
 * @param uid a unique id of the user, empty when none is known
 * @param groups the groups the user is in
 * @param extra further attributes ({@code Impersonate-Extra-*} headers)
 */
public record UserInfo(String username, String uid, List<String> groups, Map<String, List<String>> extra) {
  /** Every authenticated user is in this group. */
  public static final String AUTHENTICATED = "system:authenticated";

  /** The one user of the written kubeconfig (which has no credentials): allowed everything. */
  public static final UserInfo SANDBOX_ADMIN =
      new UserInfo("sandbox-admin", "", List.of("system:masters", AUTHENTICATED), Map.of());

  /** The simulated cluster's controllers and kubelet (upstream's controller manager). */
  public static final UserInfo CONTROLLERS =
      new UserInfo("system:kube-controller-manager", "", List.of(AUTHENTICATED), Map.of());

  /** The API server's own writes (the default namespace, the build's CRDs), as upstream's loopback client. */
  public static final UserInfo API_SERVER =
      new UserInfo("system:apiserver", "", List.of("system:masters", AUTHENTICATED), Map.of());

  public UserInfo {
    groups = List.copyOf(groups);
    extra = Map.copyOf(extra);
  }

  /** The {@code authentication.k8s.io/v1} {@code UserInfo} object: empty fields left out, as upstream writes it. */
  public ObjectNode toJson() {
    ObjectNode json = CrudStore.JSON.createObjectNode().put("username", username);
    if (!uid.isEmpty()) {
      json.put("uid", uid);
    }
    groups.forEach(json.withArrayProperty("groups")::add);
    if (!extra.isEmpty()) {
      ObjectNode extras = json.putObject("extra");
      extra.forEach((key, values) -> values.forEach(extras.withArrayProperty(key)::add));
    }
    return json;
  }
}
