package dev.hotfix.sandbox.api.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotfix.sandbox.api.Admission;
import dev.hotfix.sandbox.api.FieldError;
import dev.hotfix.sandbox.api.InvalidObjectException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What the API server does to a custom resource before storing it, for one served version of a
 * CRD and one endpoint (the resource or its {@code status} subresource): (a) structural defaults,
 * (b) pruning of unknown fields, refused under {@code fieldValidation=Strict}, (c) the schema's
 * validations and list-type invariants, (d) its CEL rules. Built once per CRD resourceVersion:
 * the JSON-schema validator and the CEL programs are compiled once and reused for every write.
 */
final class CustomResourceSchema {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Set<String> TYPE_AND_OBJECT_META = Set.of("apiVersion", "kind", "metadata");

  /** Upstream's {@code field.Invalid(nil, nil, ...)}: no field, a null value. */
  private static final FieldError RULES_NOT_CHECKED = new FieldError("FieldValueInvalid", "<nil>",
      "Invalid value: \"null\": some validation rules were not checked because the object was invalid; "
          + "correct the existing errors to complete validation");

  private final String kind;
  private final String group;
  private final StructuralSchema schema;
  private final SchemaValidation schemaValidation;
  private final CelValidation celValidation;

  /**
   * @param openApiV3Schema the version's {@code schema.openAPIV3Schema}
   * @param statusSubresource whether the version serves {@code status} as a subresource
   * @param statusEndpoint true for writes to the {@code status} subresource
   */
  CustomResourceSchema(String kind, String group, JsonNode openApiV3Schema, boolean statusSubresource,
      boolean statusEndpoint) {
    this.kind = kind;
    this.group = group;
    this.schema = new StructuralSchema(scoped(openApiV3Schema, statusSubresource, statusEndpoint));
    this.schemaValidation = new SchemaValidation(schema);
    this.celValidation = new CelValidation(schema);
  }

  /** Defaults, prunes and validates {@code request.newObject()} in place, and returns it. */
  JsonNode admit(Admission.Request request) throws InvalidObjectException {
    if (!(request.newObject() instanceof ObjectNode object)) {
      return request.newObject();
    }
    String name = object.path("metadata").path("name").asText();
    SchemaDefaulter.apply(object, schema);
    List<String> unknown = UnknownFieldPruner.pruneObject(object, schema);
    if (!unknown.isEmpty() && request.fieldValidation() == Admission.FieldValidation.STRICT) {
      throw strictDecodingError(name, unknown);
    }
    List<FieldError> errors = new ArrayList<>(schemaValidation.validate(object));
    errors.addAll(ListTypeValidation.validate(object, schema));
    if (celValidation.hasRules() && errors.stream().anyMatch(CustomResourceSchema::blocksRules)) {
      errors.add(RULES_NOT_CHECKED);
    } else {
      JsonNode old = request.operation() == Admission.Operation.UPDATE ? request.oldObject() : null;
      errors.addAll(celValidation.validate(object, old));
    }
    if (!errors.isEmpty()) {
      throw InvalidObjectException.invalid(kind, group, name, errors);
    }
    return object;
  }

  /**
   * As upstream: a value of the wrong type or outside its enum would make rules misbehave, so
   * they are not run and the client is told so.
   */
  private static boolean blocksRules(FieldError error) {
    return error.reason().equals("FieldValueTypeInvalid") || error.reason().equals("FieldValueNotSupported");
  }

  /** 400, as upstream: {@code strict decoding error: unknown field "spec.foo", unknown field "spec.bar"}. */
  private InvalidObjectException strictDecodingError(String name, List<String> unknown) {
    List<String> fields = unknown.stream().sorted().map(field -> "unknown field \"" + field + "\"").toList();
    return new InvalidObjectException(400, kind, group, name, List.of(),
        "strict decoding error: " + String.join(", ", fields));
  }

  /**
   * The part of the schema an endpoint owns. TypeMeta and ObjectMeta are the API server's (never
   * pruned here). With a status subresource, the main endpoint ignores {@code status} and the
   * status endpoint ignores everything else: what an endpoint ignores is preserved as it is.
   */
  private static JsonNode scoped(JsonNode openApiV3Schema, boolean statusSubresource, boolean statusEndpoint) {
    ObjectNode root = openApiV3Schema.deepCopy();
    ObjectNode properties = root.has("properties") ? (ObjectNode) root.get("properties") : root.putObject("properties");
    properties.set("apiVersion", NODES.objectNode().put("type", "string"));
    properties.set("kind", NODES.objectNode().put("type", "string"));
    properties.set("metadata", preserved().put("type", "object"));
    if (statusEndpoint) {
      for (String name : JsonValues.fieldNames(properties)) {
        if (!name.equals("status") && !TYPE_AND_OBJECT_META.contains(name)) {
          properties.set(name, preserved());
        }
      }
      root.remove("x-kubernetes-validations");
      keepRequired(root, name -> name.equals("status"));
    } else if (statusSubresource && properties.has("status")) {
      properties.set("status", preserved());
      keepRequired(root, name -> !name.equals("status"));
    }
    return root;
  }

  private static ObjectNode preserved() {
    return NODES.objectNode().put("x-kubernetes-preserve-unknown-fields", true);
  }

  private static void keepRequired(ObjectNode root, Predicate<String> keep) {
    if (root.get("required") instanceof ArrayNode required) {
      ArrayNode kept = NODES.arrayNode();
      required.forEach(name -> {
        if (keep.test(name.asText())) {
          kept.add(name);
        }
      });
      root.set("required", kept);
    }
  }
}
