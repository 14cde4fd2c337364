package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotfix.json.KubernetesJson;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The object store and watch engine: fabric8's {@link KubernetesCrudDispatcher} called in-process.
 * The front decides everything a real API server decides (admission, patches, conflicts) and
 * hands the store only reads, full-object writes and deletes.
 */
public final class CrudStore {
  /** The JSON mapper of the whole front (fabric8's, so objects read back as they were stored). */
  public static final ObjectMapper JSON = KubernetesJson.MAPPER;

  /** Set while a write through a status subresource is stored: it never bumps the generation. */
  private final ThreadLocal<Boolean> statusWrite = ThreadLocal.withInitial(() -> false);
  private final KubernetesCrudDispatcher dispatcher = new KubernetesCrudDispatcher() {
    @Override
    public void touchGeneration(JsonNode current, JsonNode updated) {
      if (statusWrite.get()) {
        return;
      }
      long before = updated.path("metadata").path("generation").asLong(0);
      super.touchGeneration(current, updated);
      if (updated.path("metadata").path("generation").asLong(0) == before
          && Generations.bumpsBeyondStore(current, updated)) {
        Generations.bump(current, updated);
      }
    }
  };
  private final AtomicLong definitionChanges = new AtomicLong();
  private final AtomicLong rbacChanges = new AtomicLong();
  private final DeletionLog deletions = new DeletionLog();
  private final OwnerIndex owners = new OwnerIndex();

  /** Sends one request to the store as-is. */
  public MockResponse dispatch(RecordedRequest request) {
    MockResponse response = dispatcher.dispatch(request);
    if (request.method() != HttpMethod.GET && response.code() / 100 == 2 && response.getBody() != null) {
      indexWrite(request, parse(response));
    }
    // counted after the write: a reader that saw the old count re-reads
    if (request.method() != HttpMethod.GET && request.getPath().startsWith(ResourceRegistry.CRD_PATH)) {
      definitionChanges.incrementAndGet();
    }
    if (request.method() != HttpMethod.GET && request.getPath().startsWith(Authorizer.RBAC_PREFIX)) {
      rbacChanges.incrementAndGet();
    }
    return response;
  }

  /**
   * How many writes the stored CustomResourceDefinitions have had: what the registry's cache of
   * custom types is keyed by (every write goes through this store).
   */
  public long definitionChanges() {
    return definitionChanges.get();
  }

  /** How many writes RBAC objects have had: what the authorizer's policy is keyed by. */
  public long rbacChanges() {
    return rbacChanges.get();
  }

  /** Keeps the deletion log and the owner index up to date with a write the store answered. */
  private void indexWrite(RecordedRequest request, JsonNode object) {
    JsonNode metadata = object.path("metadata");
    if (!object.isObject() || !metadata.isObject()) {
      return;
    }
    String path = ApiPaths.parse(request.getPath().split("\\?")[0])
        .map(ref -> ApiPaths.of(new ResourceRef(ref.group(), ref.version(), ref.plural(), ref.namespace(),
            metadata.path("name").asText(), null)))
        .orElse(null);
    if (path == null) {
      return;
    }
    if (request.method() == HttpMethod.DELETE && !metadata.path("finalizers").isEmpty()) {
      // finalizers hold it: only marked for deletion, it still owns and is owned
      owners.stored(path, object);
    } else if (request.method() == HttpMethod.DELETE) {
      owners.deleted(path);
      deletions.deleted((ObjectNode) object, version());
    } else {
      owners.stored(path, object);
    }
  }

  /** The paths of the stored objects that name {@code ownerUid} as an owner (maybe stale: read them again). */
  List<String> dependentsOf(String ownerUid) {
    return owners.dependentsOf(ownerUid);
  }

  /** The recent deletions, for watches started from a list's resourceVersion. */
  DeletionLog deletions() {
    return deletions;
  }

  /** The store's current resourceVersion (every write advances it; a deletion does not). */
  private long version() {
    MockResponse namespaces = dispatcher.dispatch(request(HttpMethod.GET, "/api/v1/namespaces", null));
    String version = parse(namespaces).path("metadata").path("resourceVersion").asText("0");
    return version.isEmpty() ? 0 : Long.parseLong(version);
  }

  /**
   * Stores {@code object} at {@code path} as a status-subresource write that may also change
   * metadata (as upstream's Deployment status strategy allows): the generation stays.
   */
  public MockResponse putAsStatusWrite(String path, JsonNode object) {
    statusWrite.set(true);
    try {
      return dispatch(HttpMethod.PUT, path, object);
    } finally {
      statusWrite.set(false);
    }
  }

  /** Sends {@code method uri} with an optional JSON body. */
  public MockResponse dispatch(HttpMethod method, String uri, JsonNode body) {
    return dispatch(request(method, uri, body));
  }

  /** The stored object at a path, if any. */
  public Optional<ObjectNode> get(String path) {
    MockResponse response = dispatch(HttpMethod.GET, path, null);
    if (response.code() != 200 || response.getBody() == null) {
      return Optional.empty();
    }
    return Optional.of((ObjectNode) parse(response));
  }

  /** The objects of a collection and the store's resourceVersion when it was read. */
  public record StoredList(List<ObjectNode> items, String resourceVersion) {
  }

  /** The stored objects of a collection path (all namespaces when the path names none). */
  public List<ObjectNode> list(String path) {
    return read(path).items();
  }

  /**
   * A collection path read with its resourceVersion. Only objects of the path's own
   * group-version are kept: the store matches core paths on version and plural alone, so
   * {@code /api/v1/events} would also find {@code events.k8s.io/v1} Events.
   */
  public StoredList read(String path) {
    MockResponse response = dispatch(HttpMethod.GET, path, null);
    if (response.code() != 200 || response.getBody() == null) {
      return new StoredList(List.of(), "");
    }
    JsonNode list = parse(response);
    String apiVersion = ApiPaths.parse(path.split("\\?")[0]).map(ResourceRef::apiVersion).orElse(null);
    List<ObjectNode> items = new ArrayList<>();
    list.path("items").forEach(item -> {
      if (apiVersion == null || apiVersion.equals(item.path("apiVersion").asText())) {
        items.add((ObjectNode) item);
      }
    });
    return new StoredList(items, list.path("metadata").path("resourceVersion").asText());
  }

  /** A request as the mock's own HTTP server would record it. */
  public static RecordedRequest request(HttpMethod method, String uri, JsonNode body) {
    Headers.Builder headers = Headers.builder();
    byte[] bytes = null;
    if (body != null) {
      headers.add("Content-Type", "application/json");
      bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    }
    return new RecordedRequest("HTTP/1.1", method, uri, headers.build(), new Buffer(bytes));
  }

  /** The JSON body of a store response. */
  public static JsonNode parse(MockResponse response) {
    try {
      return JSON.readTree(response.getBody().getBytes());
    } catch (java.io.IOException e) {
      throw ApiError.internal("the store answered unreadable JSON: " + e.getMessage());
    }
  }
}
