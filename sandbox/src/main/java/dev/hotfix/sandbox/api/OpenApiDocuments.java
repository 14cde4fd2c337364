package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OpenAPI v3 as kubectl reads it: an index at {@code /openapi/v3} and one document per
 * group-version. Two things in a document matter to kubectl: PATCH operations that carry
 * {@code x-kubernetes-group-version-kind} and declare the {@code fieldValidation} query parameter
 * (then kubectl leaves validation to the server and never asks for {@code /openapi/v2}), and
 * {@code components.schemas} tagged with their kind (what {@code kubectl explain} renders).
 * Custom resources get their CRD's real schema; built-in kinds a permissive one, so the sandbox
 * never refuses a built-in object a real cluster would take.
 */
public final class OpenApiDocuments {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String PREFIX = "/openapi/v3/";

  private final ResourceRegistry registry;

  public OpenApiDocuments(ResourceRegistry registry) {
    this.registry = registry;
  }

  /** {@code /openapi/v3}: each group-version's document URL, with a content hash kubectl caches by. */
  public ObjectNode index() {
    ObjectNode index = NODES.objectNode();
    ObjectNode paths = index.putObject("paths");
    byGroupVersion(registry.all()).forEach((key, types) -> paths.putObject(key)
        .put("serverRelativeURL", PREFIX + key + "?hash=" + hash(document(types))));
    return index;
  }

  /**
   * The document at {@code /openapi/v3/api/v1} or {@code /openapi/v3/apis/g/v}.
   *
   * @param path the request path
   */
  public Optional<ObjectNode> document(String path) {
    String key = path.substring(PREFIX.length());
    return Optional.ofNullable(byGroupVersion(registry.all()).get(key)).map(OpenApiDocuments::document);
  }

  private static Map<String, List<ResourceType>> byGroupVersion(List<ResourceType> types) {
    Map<String, List<ResourceType>> grouped = new LinkedHashMap<>();
    for (ResourceType type : types) {
      String key = ApiPaths.groupVersionPath(type.group(), type.version()).substring(1);
      grouped.computeIfAbsent(key, k -> new ArrayList<>()).add(type);
    }
    return grouped;
  }

  private static ObjectNode document(List<ResourceType> types) {
    ObjectNode doc = NODES.objectNode().put("openapi", "3.0.0");
    doc.putObject("info").put("title", "Kubernetes").put("version", "v1." + Discovery.KUBERNETES_MINOR + ".0");
    ObjectNode paths = doc.putObject("paths");
    ObjectNode schemas = doc.putObject("components").putObject("schemas");
    for (ResourceType type : types) {
      String schemaName = schemaName(type);
      schemas.set(schemaName, schema(type));
      if (!type.isStored()) {
        paths.putObject(collectionPath(type)).set("post", operation(type, "post", schemaName));
        continue;
      }
      ObjectNode collection = paths.putObject(collectionPath(type));
      collection.set("get", operation(type, "list", schemaName));
      collection.set("post", operation(type, "post", schemaName));
      ObjectNode item = paths.putObject(collectionPath(type) + "/{name}");
      for (String verb : List.of("get", "put", "patch", "delete")) {
        item.set(verb, operation(type, verb, schemaName));
      }
      if (type.hasStatusSubresource()) {
        ObjectNode status = paths.putObject(collectionPath(type) + "/{name}/status");
        for (String verb : List.of("get", "put", "patch")) {
          status.set(verb, operation(type, verb, schemaName));
        }
      }
    }
    return doc;
  }

  private static String collectionPath(ResourceType type) {
    return ApiPaths.groupVersionPath(type.group(), type.version())
        + (type.namespaced() ? "/namespaces/{namespace}/" : "/") + type.plural();
  }

  /** Upstream's naming: {@code io.k8s.api.apps.v1.Deployment}; reversed group for custom resources. */
  private static String schemaName(ResourceType type) {
    if (type.isCustom()) {
      List<String> parts = new ArrayList<>(List.of(type.group().split("\\.")));
      Collections.reverse(parts);
      return String.join(".", parts) + "." + type.version() + "." + type.kind();
    }
    String group = type.group().isEmpty() ? "core" : type.group().split("\\.")[0];
    return "io.k8s.api." + group + "." + type.version() + "." + type.kind();
  }

  private static ObjectNode operation(ResourceType type, String verb, String schemaName) {
    ObjectNode op = NODES.objectNode();
    op.put("operationId", verb + type.kind());
    ArrayNode parameters = op.putArray("parameters");
    if (List.of("post", "put", "patch").contains(verb)) {
      for (String name : List.of("dryRun", "fieldManager", "fieldValidation")) {
        parameters.addObject().put("name", name).put("in", "query").putObject("schema").put("type", "string")
            .put("uniqueItems", true);
      }
      op.putObject("requestBody").put("required", true).putObject("content").putObject("*/*")
          .putObject("schema").put("$ref", "#/components/schemas/" + schemaName);
    }
    ObjectNode ok = op.putObject("responses").putObject("200").put("description", "OK");
    ok.putObject("content").putObject("application/json").putObject("schema")
        .put("$ref", "#/components/schemas/" + schemaName);
    op.put("x-kubernetes-action", verb);
    op.set("x-kubernetes-group-version-kind", gvk(type));
    return op;
  }

  /**
   * A custom resource's schema wrapped as upstream publishes it (apiVersion, kind and metadata
   * added, so {@code kubectl explain} shows them); a permissive object for built-in kinds.
   */
  private static ObjectNode schema(ResourceType type) {
    ObjectNode schema;
    if (type.isCustom() && type.schema().isObject()) {
      schema = (ObjectNode) type.schema().deepCopy();
      ObjectNode properties = schema.has("properties") ? (ObjectNode) schema.get("properties")
          : schema.putObject("properties");
      properties.putObject("apiVersion").put("type", "string").put("description",
          "APIVersion defines the versioned schema of this representation of an object.");
      properties.putObject("kind").put("type", "string").put("description",
          "Kind is a string value representing the REST resource this object represents.");
      properties.putObject("metadata").put("type", "object").put("description",
          "Standard object's metadata.");
    } else {
      schema = NODES.objectNode().put("type", "object").put("description", type.kind() + " (built-in kind; the "
          + "sandbox accepts any field)").put("x-kubernetes-preserve-unknown-fields", true);
    }
    schema.putArray("x-kubernetes-group-version-kind").add(gvk(type));
    return schema;
  }

  private static ObjectNode gvk(ResourceType type) {
    return NODES.objectNode().put("group", type.group()).put("version", type.version()).put("kind", type.kind());
  }

  private static String hash(JsonNode document) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-512")
          .digest(document.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().withUpperCase().formatHex(digest, 0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 is part of every JVM", e);
    }
  }
}
