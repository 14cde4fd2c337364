package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every resource type the sandbox serves: the built-in table plus the custom resources of the
 * CustomResourceDefinitions in the store, read live so a CRD created with {@code kubectl apply}
 * is served at once (as on a real cluster, where it is served once Established).
 */
public final class ResourceRegistry {
  /** Where CustomResourceDefinitions are stored. */
  public static final String CRD_PATH = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

  private final CrudStore store;
  private volatile CustomTypes customTypes = new CustomTypes(-1, List.of());

  /** The custom types as read after a number of CRD writes (reading and parsing CRDs is most of a request's work). */
  private record CustomTypes(long definitionChanges, List<ResourceType> types) {
  }

  public ResourceRegistry(CrudStore store) {
    this.store = store;
  }

  /** Built-in types first, then one type per served version of each stored CRD. */
  public List<ResourceType> all() {
    List<ResourceType> types = new ArrayList<>(BuiltInResources.all());
    types.addAll(customTypes());
    return types;
  }

  private List<ResourceType> customTypes() {
    long changes = store.definitionChanges();
    CustomTypes cached = customTypes;
    if (cached.definitionChanges() == changes) {
      return cached.types();
    }
    List<ResourceType> types = new ArrayList<>();
    store.list(CRD_PATH).forEach(crd -> types.addAll(fromCrd(crd)));
    customTypes = new CustomTypes(changes, List.copyOf(types));
    return types;
  }

  /** The type served at {@code /apis/group/version/plural}. */
  public Optional<ResourceType> find(String group, String version, String plural) {
    return all().stream()
        .filter(t -> t.group().equals(group) && t.version().equals(version) && t.plural().equals(plural))
        .findFirst();
  }

  /** The stored CRD that serves a reference (for admission), empty for built-in resources. */
  public Optional<JsonNode> crdFor(ResourceRef ref) {
    if (ref.group() == null || ref.group().isEmpty()) {
      return Optional.empty();
    }
    return store.get(CRD_PATH + "/" + ref.plural() + "." + ref.group()).map(JsonNode.class::cast);
  }

  /** The served versions of one CRD as resource types. */
  static List<ResourceType> fromCrd(JsonNode crd) {
    JsonNode spec = crd.path("spec");
    JsonNode names = spec.path("names");
    boolean namespaced = !"Cluster".equals(spec.path("scope").asText());
    List<ResourceType> types = new ArrayList<>();
    for (JsonNode version : spec.path("versions")) {
      if (!version.path("served").asBoolean(true)) {
        continue;
      }
      Set<String> subresources = new HashSet<>();
      version.path("subresources").fieldNames().forEachRemaining(subresources::add);
      List<PrinterColumn> columns = new ArrayList<>();
      for (JsonNode column : version.path("additionalPrinterColumns")) {
        columns.add(new PrinterColumn(column.path("name").asText(), column.path("type").asText("string"),
            column.path("description").asText(""), column.path("priority").asInt(0),
            column.path("jsonPath").asText()));
      }
      types.add(new ResourceType(spec.path("group").asText(), version.path("name").asText(),
          names.path("plural").asText(), names.path("kind").asText(), namespaced, ResourceType.CRUD_VERBS,
          strings(names.path("shortNames")), strings(names.path("categories")), Set.copyOf(subresources),
          List.copyOf(columns), version.path("schema").path("openAPIV3Schema")));
    }
    return types;
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return List.copyOf(values);
  }
}
