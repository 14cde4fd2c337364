package dev.hotfix.sandbox.api.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotfix.sandbox.api.Admission;
import dev.hotfix.sandbox.api.InvalidObjectException;
import dev.hotfix.sandbox.api.ResourceRef;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The sandbox's admission: built-in defaults for workload kinds, and for custom resources the
 * CRD's structural schema (defaults, pruning, validation) and its CEL rules.
 *
 * <p>Thread-safe: the API front may admit writes concurrently. Compiled schemas are cached per
 * CRD, version and endpoint, and rebuilt when the CRD's resourceVersion changes.
 */
public final class SandboxAdmission implements Admission {
  private final Function<ResourceRef, Optional<JsonNode>> crdLookup;
  private final Map<String, CachedSchema> schemas = new ConcurrentHashMap<>();

  /** A compiled schema and the CRD resourceVersion it was compiled from. */
  private record CachedSchema(String resourceVersion, CustomResourceSchema schema) {
  }

  /**
   * @param crdLookup finds the stored CustomResourceDefinition (as JSON) serving a resource, or
   *     empty for built-in resources
   */
  public SandboxAdmission(Function<ResourceRef, Optional<JsonNode>> crdLookup) {
    this.crdLookup = crdLookup;
  }

  @Override
  public JsonNode admit(Request request) throws InvalidObjectException {
    ResourceRef ref = request.ref();
    Optional<JsonNode> crd = crdLookup.apply(ref);
    if (crd.isPresent()) {
      if (ref.subresource() != null && !ref.isStatus()) {
        return request.newObject(); // a /scale body is a Scale, not the custom resource
      }
      CustomResourceSchema schema = schemaFor(crd.get(), ref);
      return schema == null ? request.newObject() : schema.admit(request);
    }
    return WorkloadAdmission.admit(request);
  }

  /** The compiled schema for the addressed version and endpoint; null when the version has none. */
  private CustomResourceSchema schemaFor(JsonNode crd, ResourceRef ref) {
    JsonNode version = servedVersion(crd, ref.version());
    JsonNode openApiV3Schema = version == null ? null : version.path("schema").get("openAPIV3Schema");
    if (openApiV3Schema == null || !openApiV3Schema.isObject()) {
      return null;
    }
    JsonNode metadata = crd.path("metadata");
    String key = metadata.path("uid").asText(metadata.path("name").asText()) + "/" + ref.version()
        + (ref.isStatus() ? "/status" : "");
    String resourceVersion = metadata.path("resourceVersion").asText("");
    return schemas.compute(key, (k, cached) -> cached != null && cached.resourceVersion().equals(resourceVersion)
        ? cached
        : new CachedSchema(resourceVersion, new CustomResourceSchema(
            crd.path("spec").path("names").path("kind").asText(),
            crd.path("spec").path("group").asText(),
            openApiV3Schema,
            version.path("subresources").has("status"),
            ref.isStatus()))).schema();
  }

  private static JsonNode servedVersion(JsonNode crd, String name) {
    for (JsonNode version : crd.path("spec").path("versions")) {
      if (version.path("name").asText().equals(name) && version.path("served").asBoolean(true)) {
        return version;
      }
    }
    return null;
  }
}
