package dev.hotfix.sandbox.api.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelEvaluationException;
import dev.hotfix.sandbox.api.FieldError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code x-kubernetes-validations} rules of one CRD version: each rule runs where its schema
 * node has a value, with {@code self} bound to that value; transition rules (those that read
 * {@code oldSelf}) run only on update and only where the old object has a correlated value
 * (same property, same map key, same list-map keys). Compiled expressions are kept for the life
 * of this object, which the admission caches per CRD resourceVersion.
 */
final class CelValidation {
  private static final Pattern FIELD_PATH_STEP = Pattern.compile("\\.([^.\\[]+)|\\['([^']*)'\\]|\\[(\\d+)\\]");

  /**
   * Upstream validates from a nil field path: a rule on the root object reports {@code <nil>},
   * while its children are still {@code spec}, {@code status}.
   */
  private static final String ROOT_FIELD = "<nil>";

  private final StructuralSchema root;
  private final Map<String, CelExpression> rules = new ConcurrentHashMap<>();
  private final Map<String, CelExpression> messageExpressions = new ConcurrentHashMap<>();

  CelValidation(StructuralSchema root) {
    this.root = root;
  }

  /** Whether the schema has any rule at all (upstream has no CEL validator otherwise). */
  boolean hasRules() {
    return !root.node().findValues("x-kubernetes-validations").isEmpty();
  }

  /** All rule failures of {@code object}; {@code oldObject} is null on create. */
  List<FieldError> validate(JsonNode object, JsonNode oldObject) {
    List<FieldError> errors = new ArrayList<>();
    walk(object, oldObject, root, "", errors);
    return errors;
  }

  private void walk(JsonNode value, JsonNode old, StructuralSchema schema, String path, List<FieldError> errors) {
    if (value == null || value.isNull()) {
      return;
    }
    for (JsonNode rule : schema.validations()) {
      check(rule, value, old, schema, path, errors);
    }
    if (value.isObject()) {
      value.properties().forEach(field -> {
        String name = field.getKey();
        StructuralSchema property = schema.property(name);
        StructuralSchema child = property != null ? property : schema.additionalProperties();
        if (child != null) {
          String childPath = property != null ? FieldPath.child(path, name) : FieldPath.key(path, name);
          walk(field.getValue(), old == null ? null : old.get(name), child, childPath, errors);
        }
      });
    } else if (value.isArray() && schema.items() != null) {
      for (int i = 0; i < value.size(); i++) {
        JsonNode element = value.get(i);
        walk(element, correlated(element, old, schema), schema.items(), FieldPath.index(path, i), errors);
      }
    }
  }

  /** The old element a list element is compared with: same list-map keys, or equal in a set. */
  private static JsonNode correlated(JsonNode element, JsonNode oldList, StructuralSchema listSchema) {
    if (oldList == null || !oldList.isArray()) {
      return null;
    }
    List<String> keys = listSchema.listMapKeys();
    boolean set = "set".equals(listSchema.node().path("x-kubernetes-list-type").asText());
    for (JsonNode candidate : oldList) {
      if (set ? candidate.equals(element) : !keys.isEmpty() && sameKeys(candidate, element, keys)) {
        return candidate;
      }
    }
    return null;
  }

  private static boolean sameKeys(JsonNode a, JsonNode b, List<String> keys) {
    return keys.stream().allMatch(key -> a.path(key).equals(b.path(key)));
  }

  private void check(JsonNode rule, JsonNode value, JsonNode old, StructuralSchema schema, String path,
      List<FieldError> errors) {
    String source = rule.path("rule").asText();
    String typeName = schema.typeName(value);
    CelExpression expression = rules.computeIfAbsent(source, s -> CelExpression.compile(s, SimpleType.BOOL));
    if (expression.compileError() != null) {
      errors.add(FieldErrors.invalidType(reported(path), typeName,
          "rule compile error: " + expression.compileError()));
      return;
    }
    if (expression.usesOldSelf() && (old == null || old.isNull())) {
      return;
    }
    Map<String, Object> variables = new HashMap<>();
    variables.put(CelExpression.SELF, CelValues.of(value, schema));
    if (expression.usesOldSelf()) {
      variables.put(CelExpression.OLD_SELF, CelValues.of(old, schema));
    }
    Object result;
    try {
      result = expression.evaluate(variables);
    } catch (CelEvaluationException e) {
      errors.add(FieldErrors.invalidType(reported(path), typeName,
          e.getMessage() + " evaluating rule: " + ruleText(rule)));
      return;
    }
    if (!Boolean.TRUE.equals(result)) {
      String field = rule.hasNonNull("fieldPath") ? appendFieldPath(path, rule.get("fieldPath").asText()) : path;
      errors.add(failure(rule.path("reason").asText(""), reported(field), typeName, message(rule, variables)));
    }
  }

  private static String reported(String field) {
    return field.isEmpty() ? ROOT_FIELD : field;
  }

  /** The message of a failed rule: its messageExpression's result, else its message, else the rule. */
  private String message(JsonNode rule, Map<String, Object> variables) {
    String source = rule.path("messageExpression").asText("");
    if (!source.isBlank()) {
      CelExpression expression = messageExpressions.computeIfAbsent(source,
          s -> CelExpression.compile(s, SimpleType.STRING));
      if (expression.compileError() == null) {
        try {
          Object message = expression.evaluate(variables);
          if (message instanceof String text && !text.isBlank()) {
            return text.trim();
          }
        } catch (CelEvaluationException e) {
          // As upstream: a failing messageExpression falls back to the static message.
        }
      }
    }
    String message = rule.path("message").asText("").trim();
    return message.isEmpty() ? "failed rule: " + ruleText(rule) : message;
  }

  private static String ruleText(JsonNode rule) {
    String message = rule.path("message").asText("").trim();
    return message.isEmpty() ? rule.path("rule").asText().trim() : message;
  }

  private static FieldError failure(String reason, String field, String typeName, String message) {
    return switch (reason) {
      case "FieldValueForbidden" -> FieldErrors.forbidden(field, message);
      case "FieldValueRequired" -> FieldErrors.required(field, message);
      case "FieldValueDuplicate" -> FieldErrors.duplicate(field, TextNode.valueOf(message));
      default -> FieldErrors.invalidType(field, typeName, message);
    };
  }

  /** A rule's {@code fieldPath} ({@code .spec.replicas}, {@code .labels['a.b']}) below the rule's node. */
  private static String appendFieldPath(String path, String fieldPath) {
    Matcher step = FIELD_PATH_STEP.matcher(fieldPath);
    String result = path;
    while (step.find()) {
      if (step.group(3) != null) {
        result = FieldPath.index(result, Integer.parseInt(step.group(3)));
      } else {
        result = FieldPath.child(result, step.group(1) != null ? step.group(1) : step.group(2));
      }
    }
    return result;
  }
}
