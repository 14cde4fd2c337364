package dev.hotfix.sandbox.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotfix.sandbox.api.patch.PatchSchema.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes strategic merge patch for built-in kinds, with upstream's merge keys and directives
 * (what {@code kubectl apply}, {@code kubectl set image} and friends send).
 *
 * <p>Semantics follow k8s.io/apimachinery/pkg/util/strategicpatch: maps merge recursively and
 * {@code null} deletes; lists tagged {@code patchStrategy:"merge"} merge element by element on
 * their merge key (or as a set for primitives), other lists are replaced. Directives:
 * {@code $patch: replace|delete} in a map or a list element ({@code $patch: merge}, the default,
 * is accepted and ignored), {@code $retainKeys}, {@code $setElementOrder/<list>} and
 * {@code $deleteFromPrimitiveList/<list>}.
 */
public final class StrategicMergePatch {
  private static final String PATCH = "$patch";
  private static final String RETAIN_KEYS = "$retainKeys";
  private static final String SET_ELEMENT_ORDER = "$setElementOrder/";
  private static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private StrategicMergePatch() {
  }

  /** Whether strategic merge patch is defined for this kind (built-in kinds only, as upstream). */
  public static boolean supports(String apiVersion, String kind) {
    return BuiltinPatchSchemas.isBuiltin(apiVersion);
  }

  /**
   * Returns {@code target} with {@code patch} applied; neither argument is modified.
   *
   * @throws IllegalArgumentException when the patch is malformed (answered 400/422 by the front)
   */
  public static JsonNode apply(JsonNode target, JsonNode patch, String apiVersion, String kind) {
    return apply(target, patch, BuiltinPatchSchemas.forKind(apiVersion, kind));
  }

  /** Applies {@code patch} to {@code target} for a type with the given patch metadata. */
  static JsonNode apply(JsonNode target, JsonNode patch, PatchSchema schema) {
    if (patch == null || !patch.isObject()) {
      throw new IllegalArgumentException("a strategic merge patch must be a JSON object, got: " + patch);
    }
    ObjectNode original = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : NODES.objectNode();
    return mergeMap(original, (ObjectNode) patch, schema);
  }

  /** Merges {@code patch} into {@code original} (a private copy, changed in place). */
  private static ObjectNode mergeMap(ObjectNode original, ObjectNode patch, PatchSchema schema) {
    JsonNode directive = patch.get(PATCH);
    if (directive != null) {
      switch (directive.asText()) {
        case "replace":
          ObjectNode replacement = patch.deepCopy();
          replacement.remove(PATCH);
          return mergeMap(NODES.objectNode(), replacement, schema);
        case "delete":
          return NODES.objectNode();
        case "merge":
          break;
        default:
          throw new IllegalArgumentException("unknown patch type: " + directive + " in map: " + patch);
      }
    }
    retainKeys(original, patch.get(RETAIN_KEYS));

    Map<String, ArrayNode> elementOrders = new HashMap<>();
    Set<String> keys = new LinkedHashSet<>();
    for (Iterator<String> names = patch.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (name.startsWith(SET_ELEMENT_ORDER)) {
        String list = name.substring(SET_ELEMENT_ORDER.length());
        elementOrders.put(list, directiveList(name, patch.get(name)));
        keys.add(list);
      } else if (name.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
        deleteFromPrimitiveList(original, name.substring(DELETE_FROM_PRIMITIVE_LIST.length()),
            directiveList(name, patch.get(name)));
      } else if (!name.equals(PATCH) && !name.equals(RETAIN_KEYS)) {
        keys.add(name);
      }
    }

    for (String key : keys) {
      mergeField(original, key, patch.get(key), schema.field(key), elementOrders.get(key));
    }
    return original;
  }

  private static void mergeField(ObjectNode original, String key, JsonNode patchValue, Field field,
      ArrayNode elementOrder) {
    JsonNode originalValue = original.get(key);
    if (patchValue == null) {
      // Only a $setElementOrder for this list: the patch reorders without changing elements.
      if (field.mergeList() && originalValue != null && originalValue.isArray()) {
        original.set(key, mergeList(key, (ArrayNode) originalValue, NODES.arrayNode(), field, elementOrder));
      }
    } else if (patchValue.isNull()) {
      original.remove(key);
    } else if (patchValue.isObject()) {
      ObjectNode base = originalValue != null && originalValue.isObject()
          ? (ObjectNode) originalValue : NODES.objectNode();
      original.set(key, mergeMap(base, (ObjectNode) patchValue, field.schema()));
    } else if (patchValue.isArray() && field.mergeList()) {
      ArrayNode base = originalValue != null && originalValue.isArray()
          ? (ArrayNode) originalValue : NODES.arrayNode();
      original.set(key, mergeList(key, base, (ArrayNode) patchValue, field, elementOrder));
    } else {
      original.set(key, patchValue.deepCopy());
    }
  }

  /** Drops the keys of {@code original} that {@code $retainKeys} does not list. */
  private static void retainKeys(ObjectNode original, JsonNode retainKeys) {
    if (retainKeys == null) {
      return;
    }
    Set<String> retained = new HashSet<>();
    for (JsonNode key : directiveList(RETAIN_KEYS, retainKeys)) {
      if (!key.isTextual()) {
        throw new IllegalArgumentException("$retainKeys must be a list of field names, got: " + retainKeys);
      }
      retained.add(key.asText());
    }
    original.retain(retained);
  }

  private static void deleteFromPrimitiveList(ObjectNode original, String key, ArrayNode toDelete) {
    JsonNode list = original.get(key);
    if (list == null || !list.isArray()) {
      return;
    }
    ArrayNode kept = NODES.arrayNode();
    for (JsonNode element : list) {
      if (!contains(toDelete, element)) {
        kept.add(element);
      }
    }
    original.set(key, kept);
  }

  private static ArrayNode mergeList(String key, ArrayNode original, ArrayNode patch, Field field,
      ArrayNode elementOrder) {
    ElementIdentity identity = ElementIdentity.of(key, field.mergeKey());
    List<JsonNode> merged;
    List<JsonNode> patchElements;
    if (field.mergeKey() == null) {
      merged = new ArrayList<>();
      original.forEach(merged::add);
      for (JsonNode element : patch) {
        if (element.isContainerNode()) {
          throw new IllegalArgumentException("cannot merge lists without merge key for " + key
              + ": element " + element + " is not a primitive");
        }
        if (!merged.contains(element)) {
          merged.add(element);
        }
      }
      patchElements = new ArrayList<>();
      patch.forEach(patchElements::add);
    } else {
      Set<String> deleted = new HashSet<>();
      patchElements = new ArrayList<>();
      for (JsonNode element : patch) {
        if (!element.isObject()) {
          throw new IllegalArgumentException("list " + key + " merges by key " + field.mergeKey()
              + ", but the patch has an element that is not a map: " + element);
        }
        JsonNode directive = element.get(PATCH);
        String kind = directive == null ? "merge" : directive.asText();
        switch (kind) {
          case "replace":
            return replacementList(patch, field.schema());
          case "delete":
            deleted.add(identity.required(element));
            break;
          case "merge":
            identity.required(element);
            patchElements.add(element);
            break;
          default:
            throw new IllegalArgumentException("unknown patch type: " + directive + " in list " + key + ": " + element);
        }
      }
      merged = new ArrayList<>();
      for (JsonNode element : original) {
        if (!deleted.contains(identity.of(element))) {
          merged.add(element);
        }
      }
      for (JsonNode element : patchElements) {
        String id = identity.of(element);
        int at = indexOf(merged, id, identity);
        ObjectNode base = at >= 0 && merged.get(at).isObject() ? (ObjectNode) merged.get(at) : NODES.objectNode();
        ObjectNode result = mergeMap(base, (ObjectNode) element, field.schema());
        if (at >= 0) {
          merged.set(at, result);
        } else {
          merged.add(result);
        }
      }
    }
    List<JsonNode> order = new ArrayList<>();
    if (elementOrder != null) {
      elementOrder.forEach(order::add);
    } else {
      order.addAll(patchElements);
    }
    List<JsonNode> serverOrder = new ArrayList<>();
    original.forEach(serverOrder::add);
    ArrayNode result = NODES.arrayNode();
    ElementOrder.arrange(merged, order, serverOrder, identity).forEach(result::add);
    return result;
  }

  /** {@code $patch: replace} in a list: the list becomes the patch's other elements. */
  private static ArrayNode replacementList(ArrayNode patch, PatchSchema schema) {
    ArrayNode result = NODES.arrayNode();
    for (JsonNode element : patch) {
      if (!element.has(PATCH)) {
        result.add(mergeMap(NODES.objectNode(), (ObjectNode) element, schema));
      }
    }
    return result;
  }

  private static int indexOf(List<JsonNode> elements, String id, ElementIdentity identity) {
    for (int i = 0; i < elements.size(); i++) {
      if (id.equals(identity.of(elements.get(i)))) {
        return i;
      }
    }
    return -1;
  }

  private static boolean contains(ArrayNode list, JsonNode value) {
    for (JsonNode element : list) {
      if (element.equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static ArrayNode directiveList(String directive, JsonNode value) {
    if (value == null || !value.isArray()) {
      throw new IllegalArgumentException(directive + " must be a list, got: " + value);
    }
    return (ArrayNode) value;
  }
}
