package dev.hotfix.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sandbox's RBAC authorizer against upstream's own RBAC test cases, as data
 * ({@code src/test/resources/rbac/authorizer-cases.yaml}: each case names its upstream file and
 * commit). Seen failing when a rule's resource also covered its subresources, and when a
 * RoleBinding counted in every namespace.
 */
class RbacPolicyTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = CrudStore.JSON;

  static Stream<Named<JsonNode>> cases() throws IOException {
    try (InputStream in = RbacPolicyTest.class.getResourceAsStream("/rbac/authorizer-cases.yaml")) {
      List<Named<JsonNode>> cases = new ArrayList<>();
      YAML.readTree(in).forEach(c -> cases.add(Named.of(c.path("name").asText() + " [" + c.path("source").asText()
          + "]", c)));
      return cases.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void decidesAsUpstream(JsonNode testCase) {
    RbacPolicy policy = policyOf(testCase);
    testCase.path("allow").forEach(request -> assertThat(policy.authorize(attributes(request)).allowed())
        .as("allowed: %s", request).isTrue());
    testCase.path("deny").forEach(request -> assertThat(policy.authorize(attributes(request)).allowed())
        .as("denied: %s", request).isFalse());
  }

  @Test
  void anAllowedDecisionNamesTheBindingRoleAndSubjectAsUpstream() {
    RbacPolicy policy = RbacPolicy.of(List.of(), List.of(binding("RoleBinding", "shop", "alice-edits",
            "ClusterRole/edit", "User:alice")), List.of(role("edit", null, List.of(Map.of("verbs", List.of("patch"),
            "apiGroups", List.of("apps"), "resources", List.of("deployments"))))), List.of());

    RbacPolicy.Decision decision = policy.authorize(AuthorizationAttributes.resource(user("alice", List.of()),
        "patch", "apps", "deployments", "", "shop", "checkout"));

    assertThat(decision.allowed()).isTrue();
    assertThat(decision.reason())
        .isEqualTo("RBAC: allowed by RoleBinding \"alice-edits/shop\" of ClusterRole \"edit\" to User \"alice\"");
  }

  @Test
  void theRefusalReadsAsUpstreamsForbiddenMessage() {
    AuthorizationAttributes patch = AuthorizationAttributes.resource(user("alice", List.of()), "patch", "apps",
        "deployments", "", "shop", "checkout");
    AuthorizationAttributes status = AuthorizationAttributes.resource(user("alice", List.of()), "update", "hotfix.dev",
        "hotfixes", "status", "shop", "fix-1");
    AuthorizationAttributes nodes = AuthorizationAttributes.resource(user("bob", List.of()), "list", "", "nodes", "",
        "", "");
    AuthorizationAttributes path = AuthorizationAttributes.nonResource(user("bob", List.of()), "get", "/metrics");

    assertThat(patch.forbidden().getMessage()).isEqualTo("deployments.apps \"checkout\" is forbidden: User \"alice\" "
        + "cannot patch resource \"deployments\" in API group \"apps\" in the namespace \"shop\"");
    assertThat(status.forbidden().getMessage()).isEqualTo("hotfixes.hotfix.dev \"fix-1\" is forbidden: User \"alice\" "
        + "cannot update resource \"hotfixes/status\" in API group \"hotfix.dev\" in the namespace \"shop\"");
    assertThat(nodes.forbidden().getMessage()).isEqualTo("nodes is forbidden: User \"bob\" cannot list resource "
        + "\"nodes\" in API group \"\" at the cluster scope");
    assertThat(path.forbidden().getMessage()).isEqualTo("forbidden: User \"bob\" cannot get path \"/metrics\"");
    assertThat(patch.forbidden().code()).isEqualTo(403);
  }

  private static RbacPolicy policyOf(JsonNode testCase) {
    List<ObjectNode> roles = new ArrayList<>();
    testCase.path("roles").forEach(r -> roles.add(role(r.path("name").asText(), r.path("namespace").asText(),
        JSON.convertValue(r.path("rules"), List.class))));
    List<ObjectNode> clusterRoles = new ArrayList<>();
    testCase.path("clusterRoles").forEach(r -> {
      ObjectNode role = role(r.path("name").asText(), null, JSON.convertValue(r.path("rules"), List.class));
      if (r.has("labels")) {
        role.withObjectProperty("metadata").set("labels", r.path("labels"));
      }
      if (r.has("aggregationRule")) {
        role.set("aggregationRule", r.path("aggregationRule"));
      }
      clusterRoles.add(role);
    });
    List<ObjectNode> roleBindings = bindings(testCase.path("roleBindings"), "RoleBinding");
    List<ObjectNode> clusterRoleBindings = bindings(testCase.path("clusterRoleBindings"), "ClusterRoleBinding");
    return RbacPolicy.of(roles, roleBindings, clusterRoles, clusterRoleBindings);
  }

  private static List<ObjectNode> bindings(JsonNode list, String kind) {
    List<ObjectNode> bindings = new ArrayList<>();
    int[] n = {0};
    list.forEach(b -> bindings.add(binding(kind, b.path("namespace").asText(null), "binding-" + n[0]++,
        b.path("roleRef").asText(), JSON.convertValue(b.path("subjects"), String[].class))));
    return bindings;
  }

  /** {@code roleRef} as {@code Kind/name}, subjects as {@code Kind:name} or {@code ServiceAccount:ns/name}. */
  private static ObjectNode binding(String kind, String namespace, String name, String roleRef, String... subjects) {
    ObjectNode binding = JSON.createObjectNode().put("kind", kind);
    ObjectNode metadata = binding.putObject("metadata").put("name", name);
    if (namespace != null) {
      metadata.put("namespace", namespace);
    }
    String[] ref = roleRef.split("/", 2);
    binding.putObject("roleRef").put("apiGroup", "rbac.authorization.k8s.io").put("kind", ref[0]).put("name", ref[1]);
    for (String subject : subjects) {
      String[] parts = subject.split(":", 2);
      ObjectNode s = binding.withArrayProperty("subjects").addObject().put("kind", parts[0]);
      if (parts[0].equals("ServiceAccount") && parts[1].contains("/")) {
        s.put("namespace", parts[1].split("/")[0]).put("name", parts[1].split("/")[1]);
      } else {
        s.put("name", parts[1]);
      }
    }
    return binding;
  }

  private static ObjectNode role(String name, String namespace, List<?> rules) {
    ObjectNode role = JSON.createObjectNode();
    ObjectNode metadata = role.putObject("metadata").put("name", name);
    if (namespace != null) {
      metadata.put("namespace", namespace);
    }
    role.set("rules", JSON.valueToTree(rules == null ? List.of() : rules));
    return role;
  }

  private static AuthorizationAttributes attributes(JsonNode request) {
    UserInfo user = user(request.path("user").asText(""), JSON.convertValue(request.path("groups"), List.class));
    if (request.has("path")) {
      return AuthorizationAttributes.nonResource(user, request.path("verb").asText(), request.path("path").asText());
    }
    return AuthorizationAttributes.resource(user, request.path("verb").asText(), request.path("group").asText(""),
        request.path("resource").asText(""), request.path("subresource").asText(""),
        request.path("namespace").asText(""), request.path("name").asText(""));
  }

  @SuppressWarnings("unchecked")
  private static UserInfo user(String name, List<?> groups) {
    return new UserInfo(name, "", groups == null ? List.of() : (List<String>) groups, Map.of());
  }
}
