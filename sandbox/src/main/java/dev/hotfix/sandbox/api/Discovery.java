package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The legacy discovery documents ({@code /version}, {@code /api}, {@code /apis} and one
 * {@code APIResourceList} per group-version) that kubectl's RESTMapper, {@code api-resources},
 * short names and categories ({@code kubectl get all}) are built from. kubectl asks for
 * aggregated discovery first and falls back to these when it gets plain JSON.
 */
public final class Discovery {
  /** The Kubernetes version the sandbox claims (the one kubectl and fabric8 are tested against). */
  public static final String KUBERNETES_MINOR = "32";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final ResourceRegistry registry;

  public Discovery(ResourceRegistry registry) {
    this.registry = registry;
  }

  /** {@code /version}. */
  public ObjectNode version() {
    return NODES.objectNode().put("major", "1").put("minor", KUBERNETES_MINOR)
        .put("gitVersion", "v1." + KUBERNETES_MINOR + ".0-hotfix-sandbox").put("gitCommit", "")
        .put("gitTreeState", "clean").put("buildDate", "2026-01-01T00:00:00Z").put("goVersion", "")
        .put("compiler", "gc").put("platform", "linux/amd64");
  }

  /** {@code /api}: the core group's versions. */
  public ObjectNode coreVersions() {
    ObjectNode versions = NODES.objectNode().put("kind", "APIVersions");
    versions.putArray("versions").add("v1");
    versions.putArray("serverAddressByClientCIDRs");
    return versions;
  }

  /** {@code /apis}: every named group with its versions (the first served one preferred). */
  public ObjectNode groups() {
    ObjectNode list = NODES.objectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
    ArrayNode groups = list.putArray("groups");
    versionsByGroup().forEach((group, versions) -> groups.add(group(group, versions)));
    return list;
  }

  /** {@code /apis/<group>}: one group's {@code APIGroup}, if it is served. */
  public Optional<ObjectNode> group(String name) {
    return Optional.ofNullable(versionsByGroup().get(name))
        .map(versions -> group(name, versions).put("kind", "APIGroup").put("apiVersion", "v1"));
  }

  private Map<String, List<String>> versionsByGroup() {
    Map<String, List<String>> versionsByGroup = new LinkedHashMap<>();
    for (ResourceType type : registry.all()) {
      if (!type.group().isEmpty()) {
        List<String> versions = versionsByGroup.computeIfAbsent(type.group(), g -> new ArrayList<>());
        if (!versions.contains(type.version())) {
          versions.add(type.version());
        }
      }
    }
    return versionsByGroup;
  }

  private static ObjectNode group(String name, List<String> versions) {
    ObjectNode entry = NODES.objectNode().put("name", name);
    ArrayNode served = entry.putArray("versions");
    versions.forEach(v -> served.add(groupVersion(name, v)));
    entry.set("preferredVersion", groupVersion(name, versions.get(0)));
    return entry;
  }

  /**
   * {@code /api/v1} or {@code /apis/g/v}: the resources of one group-version, each subresource
   * as its own entry ({@code deployments/status}), as upstream lists them.
   */
  public Optional<ObjectNode> resources(String group, String version) {
    List<ResourceType> types = registry.all().stream()
        .filter(t -> t.group().equals(group) && t.version().equals(version)).toList();
    if (types.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode list = NODES.objectNode().put("kind", "APIResourceList").put("apiVersion", "v1")
        .put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode resources = list.putArray("resources");
    for (ResourceType type : types) {
      ObjectNode entry = resources.addObject().put("name", type.plural()).put("singularName", type.singular())
          .put("namespaced", type.namespaced()).put("kind", type.kind());
      strings(entry.putArray("verbs"), type.verbs());
      if (!type.shortNames().isEmpty()) {
        strings(entry.putArray("shortNames"), type.shortNames());
      }
      if (!type.categories().isEmpty()) {
        strings(entry.putArray("categories"), type.categories());
      }
      type.subresources().stream().sorted().forEach(sub -> {
        ObjectNode subEntry = resources.addObject().put("name", type.plural() + "/" + sub).put("singularName", "")
            .put("namespaced", type.namespaced());
        if (sub.equals("scale")) {
          subEntry.put("group", "autoscaling").put("version", "v1").put("kind", "Scale");
        } else {
          subEntry.put("kind", type.kind());
        }
        strings(subEntry.putArray("verbs"), List.of("get", "patch", "update"));
      });
    }
    return Optional.of(list);
  }

  private static ObjectNode groupVersion(String group, String version) {
    return NODES.objectNode().put("groupVersion", group + "/" + version).put("version", version);
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}
