package dev.hotfix.rollout;

import dev.hotfix.json.KubernetesJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.hotfix.api.v1alpha1.FieldChange;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields a write changes in a Deployment, before and after: its spec (pod template, strategy,
 * deadlines) and its annotations, the parts a person reviews. List items that carry a
 * {@code name} (containers, volumes, env) are matched by name, as a strategic merge matches them,
 * so a changed image reads {@code spec.template.spec.containers[app].image}, not an index.
 */
public final class DeploymentDiff {

  private DeploymentDiff() {
  }

  /** The changed leaves of {@code before}'s spec, then its annotations, in {@code after}, in document order. */
  public static List<FieldChange> between(HasMetadata before, HasMetadata after) {
    JsonNode from = KubernetesJson.MAPPER.valueToTree(before);
    JsonNode to = KubernetesJson.MAPPER.valueToTree(after);
    List<FieldChange> changes = new ArrayList<>();
    compare("spec", from.path("spec"), to.path("spec"), changes);
    compare("metadata.annotations", from.path("metadata").path("annotations"),
        to.path("metadata").path("annotations"), changes);
    return changes;
  }

  private static void compare(String path, JsonNode before, JsonNode after, List<FieldChange> changes) {
    if (before.equals(after)) {
      return;
    }
    if (before.isObject() && after.isObject()) {
      Set<String> fields = new LinkedHashSet<>();
      before.fieldNames().forEachRemaining(fields::add);
      after.fieldNames().forEachRemaining(fields::add);
      for (String field : fields) {
        compare(path + "." + field, before.path(field), after.path(field), changes);
      }
      return;
    }
    if (before.isArray() && after.isArray() && named(before) && named(after)) {
      Map<String, JsonNode> from = byName(before);
      Map<String, JsonNode> to = byName(after);
      Set<String> names = new LinkedHashSet<>(from.keySet());
      names.addAll(to.keySet());
      for (String name : names) {
        compare(path + "[" + name + "]", from.getOrDefault(name, MissingNode.getInstance()),
            to.getOrDefault(name, MissingNode.getInstance()), changes);
      }
      return;
    }
    changes.add(new FieldChange(path, text(before), text(after)));
  }

  /** A list whose items are all objects with a distinct name. */
  private static boolean named(JsonNode list) {
    Set<String> names = new LinkedHashSet<>();
    for (JsonNode item : list) {
      if (!item.isObject() || !item.path("name").isTextual() || !names.add(item.path("name").asText())) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, JsonNode> byName(JsonNode list) {
    Map<String, JsonNode> items = new LinkedHashMap<>();
    list.forEach(item -> items.put(item.path("name").asText(), item));
    return items;
  }

  private static String text(JsonNode value) {
    if (value.isMissingNode() || value.isNull()) {
      return null;
    }
    return value.isValueNode() ? value.asText() : value.toString();
  }
}
