package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The RBAC objects of one moment (Roles, ClusterRoles, RoleBindings, ClusterRoleBindings),
 * judged as upstream's RBAC authorizer judges them: a request is allowed when a rule of a role
 * bound to the user, one of their groups, or their ServiceAccount allows it; ClusterRoleBindings
 * everywhere, RoleBindings only in their namespace. Nothing is ever denied explicitly.
 *
 * <p>Bindings are indexed by subject ({@code User:alice}, {@code Group:system:authenticated}), so
 * a decision reads only the bindings of the asking user and their groups, however many there
 * are. Aggregated ClusterRoles ({@code aggregationRule}) get the rules of every ClusterRole their
 * selectors match, followed transitively ({@code admin} gets {@code edit}'s, which gets {@code view}'s).
 */
final class RbacPolicy {
  private static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";

  /** One binding of a role to subjects, for the reason of a decision. */
  private record Binding(String kind, String namespace, String name, String roleKind, String roleName,
      String subject) {
    String describe() {
      String where = namespace.isEmpty() ? name : name + "/" + namespace;
      return kind + " \"" + where + "\" of " + roleKind + " \"" + roleName + "\" to " + subject;
    }
  }

  /** A decision and why; the reason is empty when nothing allowed the request. */
  record Decision(boolean allowed, String reason) {
  }

  private final Map<String, List<RbacRule>> clusterRoles;
  /** Roles by {@code namespace/name}. */
  private final Map<String, List<RbacRule>> roles;
  /** ClusterRoleBindings by subject key. */
  private final Map<String, List<Binding>> clusterBindings = new HashMap<>();
  /** RoleBindings by {@code namespace} + NUL + subject key. */
  private final Map<String, List<Binding>> roleBindings = new HashMap<>();

  private RbacPolicy(Map<String, List<RbacRule>> clusterRoles, Map<String, List<RbacRule>> roles) {
    this.clusterRoles = clusterRoles;
    this.roles = roles;
  }

  /** The policy of these objects (each list as a collection read of its kind returns it). */
  static RbacPolicy of(List<ObjectNode> roles, List<ObjectNode> roleBindings, List<ObjectNode> clusterRoles,
      List<ObjectNode> clusterRoleBindings) {
    Map<String, List<RbacRule>> roleRules = new HashMap<>();
    roles.forEach(r -> roleRules.put(r.path("metadata").path("namespace").asText() + "/"
        + r.path("metadata").path("name").asText(), rules(r)));
    RbacPolicy policy = new RbacPolicy(aggregated(clusterRoles), roleRules);
    clusterRoleBindings.forEach(b -> policy.index(b, "ClusterRoleBinding", "", policy.clusterBindings));
    roleBindings.forEach(b -> policy.index(b, "RoleBinding", b.path("metadata").path("namespace").asText(),
        policy.roleBindings));
    return policy;
  }

  private void index(ObjectNode binding, String kind, String namespace, Map<String, List<Binding>> into) {
    String name = binding.path("metadata").path("name").asText();
    JsonNode roleRef = binding.path("roleRef");
    for (JsonNode subject : binding.path("subjects")) {
      String subjectKind = subject.path("kind").asText();
      String subjectName = subject.path("name").asText();
      String key;
      String described;
      switch (subjectKind) {
        case "User", "Group" -> {
          key = subjectKind + ":" + subjectName;
          described = subjectKind + " \"" + subjectName + "\"";
        }
        case "ServiceAccount" -> {
          // upstream: a RoleBinding's ServiceAccount without a namespace is one of the binding's namespace
          String accountNamespace = subject.path("namespace").asText(namespace);
          key = "User:" + SERVICE_ACCOUNT_PREFIX + accountNamespace + ":" + subjectName;
          described = "ServiceAccount \"" + subjectName + "/" + accountNamespace + "\"";
        }
        default -> {
          continue;
        }
      }
      Binding b = new Binding(kind, namespace, name, roleRef.path("kind").asText(), roleRef.path("name").asText(),
          described);
      into.computeIfAbsent(namespace.isEmpty() ? key : namespace + "\0" + key, k -> new ArrayList<>()).add(b);
    }
  }

  /** Whether {@code request} is allowed, and by which binding. */
  Decision authorize(AuthorizationAttributes request) {
    for (Binding binding : bindingsOf(request.user(), request.namespace())) {
      for (RbacRule rule : rulesOf(binding)) {
        if (rule.allows(request)) {
          return new Decision(true, "RBAC: allowed by " + binding.describe());
        }
      }
    }
    return new Decision(false, "");
  }

  /** Every rule that applies to {@code user} in {@code namespace} (cluster-wide ones included). */
  List<RbacRule> rulesFor(UserInfo user, String namespace) {
    Set<RbacRule> rules = new LinkedHashSet<>();
    bindingsOf(user, namespace).forEach(b -> rules.addAll(rulesOf(b)));
    return List.copyOf(rules);
  }

  private List<Binding> bindingsOf(UserInfo user, String namespace) {
    List<String> keys = new ArrayList<>();
    keys.add("User:" + user.username());
    user.groups().forEach(g -> keys.add("Group:" + g));
    List<Binding> found = new ArrayList<>();
    keys.forEach(k -> found.addAll(clusterBindings.getOrDefault(k, List.of())));
    if (namespace != null && !namespace.isEmpty()) {
      keys.forEach(k -> found.addAll(roleBindings.getOrDefault(namespace + "\0" + k, List.of())));
    }
    return found;
  }

  private List<RbacRule> rulesOf(Binding binding) {
    if (binding.roleKind().equals("ClusterRole")) {
      return clusterRoles.getOrDefault(binding.roleName(), List.of());
    }
    // a ClusterRoleBinding can only name a ClusterRole
    return binding.namespace().isEmpty() ? List.of()
        : roles.getOrDefault(binding.namespace() + "/" + binding.roleName(), List.of());
  }

  private static List<RbacRule> rules(JsonNode role) {
    List<RbacRule> rules = new ArrayList<>();
    role.path("rules").forEach(rule -> rules.add(RbacRule.parse(rule)));
    return rules;
  }

  /** Each ClusterRole's rules, those of aggregated roles being the union of the roles they select. */
  private static Map<String, List<RbacRule>> aggregated(List<ObjectNode> clusterRoles) {
    Map<String, ObjectNode> byName = new HashMap<>();
    clusterRoles.forEach(r -> byName.put(r.path("metadata").path("name").asText(), r));
    Map<String, List<RbacRule>> effective = new HashMap<>();
    byName.keySet().forEach(name -> effective.put(name, effectiveRules(name, byName, new HashSet<>())));
    return effective;
  }

  private static List<RbacRule> effectiveRules(String name, Map<String, ObjectNode> byName, Set<String> visiting) {
    ObjectNode role = byName.get(name);
    JsonNode selectors = role.path("aggregationRule").path("clusterRoleSelectors");
    if (!role.has("aggregationRule") || !visiting.add(name)) {
      return rules(role);
    }
    Set<RbacRule> rules = new LinkedHashSet<>();
    byName.values().stream()
        .filter(other -> !other.path("metadata").path("name").asText().equals(name))
        .filter(other -> selectorsMatch(selectors, other.path("metadata").path("labels")))
        .sorted((a, b) -> a.path("metadata").path("name").asText().compareTo(b.path("metadata").path("name").asText()))
        .forEach(other -> rules.addAll(effectiveRules(other.path("metadata").path("name").asText(), byName,
            visiting)));
    visiting.remove(name);
    return List.copyOf(rules);
  }

  private static boolean selectorsMatch(JsonNode selectors, JsonNode labels) {
    for (JsonNode selector : selectors) {
      if (LabelSelectors.matches(selector, labels)) {
        return true;
      }
    }
    return false;
  }
}
