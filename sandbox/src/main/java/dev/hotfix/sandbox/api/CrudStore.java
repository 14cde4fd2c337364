package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotfix.json.KubernetesJson;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
    /**
     * The mock removes every object written marked for deletion without finalizers; upstream
     * removes it only when it has no grace left ({@code ShouldDeleteDuringUpdate}). A pod in its
     * grace period is stored through the mock's ordinary update path, held by a placeholder
     * finalizer that never reaches the stored object, its watchers or the answer.
     */
    @Override
    public MockResponse handleUpdate(RecordedRequest request) {
      byte[] bytes = request.getBody() == null ? new byte[0] : request.getBody().getBytes();
      // only a body marked for deletion is read here: every other update goes straight through
      JsonNode body = new String(bytes, StandardCharsets.UTF_8).contains("\"deletionTimestamp\"") ? readJson(bytes)
          : null;
      if (body == null || !GracefulDeletion.isMarked(body) || !body.path("metadata").path("finalizers").isEmpty()
          || GracefulDeletion.graceOf(body) <= 0) {
        return super.handleUpdate(request);
      }
      ObjectNode held = (ObjectNode) body.deepCopy();
      held.withObjectProperty("metadata").putArray("finalizers").add(GRACE_PLACEHOLDER);
      MockResponse answer = super.handleUpdate(CrudStore.request(HttpMethod.PUT, request.getPath(), held));
      String answered = answer.getBody() == null ? null
          : new String(answer.getBody().getBytes(), StandardCharsets.UTF_8);
      return answered == null ? answer : answer.setBody(withoutPlaceholder(answered));
    }

    @Override
    public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
        GenericKubernetesResource resource, String json) {
      super.processEvent(path, pathAttributes, oldAttributes, resource,
          json != null && json.contains(GRACE_PLACEHOLDER) ? withoutPlaceholder(json) : json);
    }

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
  /** Holds a pod in its grace period inside the mock for the length of one write (never stored). */
  private static final String GRACE_PLACEHOLDER = "sandbox.hotfix.dev/grace-period";
  private final AtomicLong definitionChanges = new AtomicLong();
  private final AtomicLong rbacChanges = new AtomicLong();
  private final DeletionLog deletions = new DeletionLog();
  private final OwnerIndex owners = new OwnerIndex();
  private final WatchWindow window;

  /** A store whose watch cache holds the writes of the last {@code watchCacheWindow}. */
  public CrudStore(Duration watchCacheWindow) {
    this.window = new WatchWindow(watchCacheWindow);
  }

  /** A store with upstream's watch cache window. */
  public CrudStore() {
    this(WatchSettings.defaults().cacheWindow());
  }

  /** Sends one request to the store as-is. */
  public MockResponse dispatch(RecordedRequest request) {
    // read before dispatching: the mock consumes the body
    byte[] written = request.method() == HttpMethod.PUT && request.getBody() != null ? request.getBody().getBytes()
        : null;
    MockResponse response = dispatcher.dispatch(request);
    if (request.method() != HttpMethod.GET && response.code() / 100 == 2 && response.getBody() != null) {
      indexWrite(request.method(), request, parse(response));
    } else if (written != null && response.code() == 200) {
      // an update that removed the object (its last finalizer gone) is answered without a body
      indexWrite(HttpMethod.DELETE, request, readJson(written));
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

  /** Who is told of every change the store makes (the garbage collector); the change is already stored. */
  interface ChangeListener {
    /** {@code object} was stored at {@code path}, or removed from it. */
    void changed(String path, JsonNode object, boolean removed);
  }

  private volatile ChangeListener listener = (path, object, removed) -> { };

  void listen(ChangeListener listener) {
    this.listener = listener;
  }

  /**
   * Keeps the deletion log and the owner index up to date with a write the store answered
   * ({@code method} DELETE when it removed the object).
   */
  private void indexWrite(HttpMethod method, RecordedRequest request, JsonNode object) {
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
    boolean removed = method == HttpMethod.DELETE && metadata.path("finalizers").isEmpty();
    if (removed) {
      owners.deleted(path);
      long version = version();
      deletions.deleted((ObjectNode) object, version);
      window.written(version);
    } else {
      // a DELETE held by finalizers only marks the object: it still owns and is owned
      owners.stored(path, object);
    }
    if (!removed) {
      window.written(metadata.path("resourceVersion").asLong(0));
    }
    listener.changed(path, object, removed);
  }

  private static JsonNode readJson(byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (java.io.IOException e) {
      throw ApiError.badRequest("the body is not JSON: " + e.getMessage());
    }
  }

  private static String withoutPlaceholder(String json) {
    try {
      ObjectNode object = (ObjectNode) JSON.readTree(json);
      if (!(object.path("metadata").path("finalizers") instanceof ArrayNode finalizers)) {
        return json;
      }
      for (int i = finalizers.size() - 1; i >= 0; i--) {
        if (GRACE_PLACEHOLDER.equals(finalizers.get(i).asText())) {
          finalizers.remove(i);
        }
      }
      if (finalizers.isEmpty()) {
        ((ObjectNode) object.path("metadata")).remove("finalizers");
      }
      return JSON.writeValueAsString(object);
    } catch (java.io.IOException e) {
      throw ApiError.internal("the store answered unreadable JSON: " + e.getMessage());
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

  /** The writes the watch cache still holds: how old a watch or a continue token may start. */
  WatchWindow window() {
    return window;
  }

  /** The store's current resourceVersion (every write advances it; a deletion does not). */
  long version() {
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
