package dev.hotfix.sandbox.api.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import dev.hotfix.sandbox.api.FieldError;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a custom resource against its structural schema with a standard JSON-schema validator,
 * and reports each failure with the field error text the API server uses (kube-openapi's
 * messages as apiextensions-apiserver converts them), e.g.
 * {@code spec.image: Invalid value: "x y": spec.image in body should match '^\S+$'}.
 */
final class SchemaValidation {
  private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);

  private final JsonNode jsonSchema;
  private final Schema validator;

  /** Compiles the validator once; it is reused for every write of the CRD version. */
  SchemaValidation(StructuralSchema schema) {
    this.jsonSchema = JsonSchemaTranslation.translate(schema.node());
    this.validator = REGISTRY.getSchema(jsonSchema);
  }

  List<FieldError> validate(JsonNode object) {
    List<FieldError> errors = new ArrayList<>();
    for (Error message : validator.validate(object)) {
      FieldError error = toFieldError(message);
      if (error != null) {
        errors.add(error);
      }
    }
    return errors;
  }

  private FieldError toFieldError(Error message) {
    String field = fieldPath(message.getInstanceLocation());
    JsonNode value = message.getInstanceNode();
    JsonNode keyword = message.getSchemaNode();
    String inBody = field + " in body";
    return switch (message.getKeyword()) {
      case "required" -> FieldErrors.required(FieldPath.child(field, message.getProperty()), "");
      case "enum" -> FieldErrors.notSupported(field, value, list(keyword));
      case "pattern" -> FieldErrors.invalid(field, value, inBody + " should match '" + keyword.asText() + "'");
      case "minLength" -> FieldErrors.invalid(field, value, inBody + " should be at least " + keyword.asText()
          + " chars long");
      case "maxLength" -> FieldErrors.tooLong(field, keyword.asLong());
      // kube-openapi reports the list's size as the invalid value (TooFewItems(path, in, min, size)).
      case "minItems" -> FieldErrors.invalidRendered(field, String.valueOf(value.size()), inBody
          + " should have at least " + keyword.asText() + " items");
      case "maxItems" -> FieldErrors.tooMany(field, value.size(), keyword.asLong());
      case "minimum" -> FieldErrors.invalid(field, value, inBody + " should be greater than "
          + (exclusive(message, "exclusiveMinimum") ? "" : "or equal to ") + keyword.asText());
      case "maximum" -> FieldErrors.invalid(field, value, inBody + " should be less than "
          + (exclusive(message, "exclusiveMaximum") ? "" : "or equal to ") + keyword.asText());
      case "multipleOf" -> FieldErrors.invalid(field, value, inBody + " should be a multiple of " + keyword.asText());
      case "minProperties" -> FieldErrors.invalid(field, value, inBody + " should have at least "
          + keyword.asText() + " properties");
      case "maxProperties" -> FieldErrors.invalid(field, value, inBody + " should have at most "
          + keyword.asText() + " properties");
      case "uniqueItems" -> FieldErrors.invalid(field, value, inBody + " shouldn't contain duplicates");
      case "type" -> FieldErrors.typeInvalid(field, JsonValues.typeName(value), expectedType(keyword));
      case "format" -> FieldErrors.invalid(field, value, inBody + " must be of type " + keyword.asText() + ": "
          + FieldErrors.render(value));
      // An int-or-string value of neither type already failed both branches' type checks.
      case "anyOf" -> null;
      default -> FieldErrors.invalid(field, value, message.getMessage());
    };
  }

  /** Whether the schema holding the failed keyword declares it exclusive (OpenAPI 3.0 booleans). */
  private boolean exclusive(Error message, String flag) {
    NodePath keywordPath = message.getSchemaLocation().getFragment();
    JsonNode holder = jsonSchema;
    for (int i = 0; i < keywordPath.getNameCount() - 1; i++) {
      Object element = keywordPath.getElement(i);
      holder = element instanceof Integer index ? holder.path(index) : holder.path(element.toString());
    }
    return holder.path(flag).asBoolean(false);
  }

  private static String fieldPath(NodePath location) {
    String path = "";
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      path = element instanceof Integer index ? FieldPath.index(path, index) : FieldPath.child(path, element.toString());
    }
    return path;
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> values = new ArrayList<>();
    array.forEach(values::add);
    return values;
  }

  private static String expectedType(JsonNode type) {
    if (!type.isArray()) {
      return type.asText();
    }
    List<String> names = new ArrayList<>();
    type.forEach(name -> {
      if (!"null".equals(name.asText())) {
        names.add(name.asText());
      }
    });
    return String.join(",", names);
  }
}
