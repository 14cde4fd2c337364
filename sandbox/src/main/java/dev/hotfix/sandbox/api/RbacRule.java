package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code PolicyRule} of a Role or ClusterRole, matched as upstream's RBAC authorizer matches
 * it: {@code *} in verbs, apiGroups and resources matches anything; {@code resource/subresource}
 * and {@code *}{@code /subresource} name subresources (a bare resource never covers them);
 * resourceNames, when given, restrict to those names; a non-resource URL matches exactly, by
 * {@code *}, or by a prefix ending in {@code *}.
 */
record RbacRule(List<String> verbs, List<String> apiGroups, List<String> resources, List<String> resourceNames,
    List<String> nonResourceURLs) {
  private static final String ALL = "*";

  RbacRule {
    verbs = List.copyOf(verbs);
    apiGroups = List.copyOf(apiGroups);
    resources = List.copyOf(resources);
    resourceNames = List.copyOf(resourceNames);
    nonResourceURLs = List.copyOf(nonResourceURLs);
  }

  /** A rule as a Role's {@code rules[]} holds it (missing lists are empty). */
  static RbacRule parse(JsonNode rule) {
    return new RbacRule(strings(rule.path("verbs")), strings(rule.path("apiGroups")), strings(rule.path("resources")),
        strings(rule.path("resourceNames")), strings(rule.path("nonResourceURLs")));
  }

  boolean allows(AuthorizationAttributes request) {
    if (!verbs.contains(ALL) && !verbs.contains(request.verb())) {
      return false;
    }
    if (!request.resourceRequest()) {
      return nonResourceURLs.stream().anyMatch(url -> url.equals(ALL) || url.equals(request.path())
          || url.endsWith(ALL) && request.path().startsWith(url.substring(0, url.length() - 1)));
    }
    return (apiGroups.contains(ALL) || apiGroups.contains(request.group()))
        && resourceMatches(request)
        && (resourceNames.isEmpty() || !request.name().isEmpty() && resourceNames.contains(request.name()));
  }

  private boolean resourceMatches(AuthorizationAttributes request) {
    String wanted = request.resourceWithSubresource();
    for (String resource : resources) {
      if (resource.equals(ALL) || resource.equals(wanted)
          || !request.subresource().isEmpty() && resource.equals(ALL + "/" + request.subresource())) {
        return true;
      }
    }
    return false;
  }

  /** As {@code status.resourceRules[]} or {@code status.nonResourceRules[]} of a SelfSubjectRulesReview. */
  ObjectNode toJson() {
    ObjectNode json = CrudStore.JSON.createObjectNode();
    verbs.forEach(json.withArrayProperty("verbs")::add);
    if (nonResourceURLs.isEmpty() || !resources.isEmpty()) {
      apiGroups.forEach(json.withArrayProperty("apiGroups")::add);
      resources.forEach(json.withArrayProperty("resources")::add);
      resourceNames.forEach(json.withArrayProperty("resourceNames")::add);
    } else {
      nonResourceURLs.forEach(json.withArrayProperty("nonResourceURLs")::add);
    }
    return json;
  }

  boolean isNonResource() {
    return !nonResourceURLs.isEmpty();
  }

  static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }
}
