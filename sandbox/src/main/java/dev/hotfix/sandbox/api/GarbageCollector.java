package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cascading deletion, as kube-controller-manager's garbage collector does it: on a worker of its
 * own, after the delete has been answered, from the changes the store reports. A DELETE only
 * marks the owner when its policy asks (the {@code orphan} or {@code foregroundDeletion}
 * finalizer); the collector then
 * <ul>
 *   <li>deletes an object whose owners are all gone (Background), with the object's own grace
 *       period, so pods terminate gracefully;</li>
 *   <li>for an owner with {@code orphan}: removes the ownerReference to it from every dependent,
 *       then the finalizer;</li>
 *   <li>for an owner with {@code foregroundDeletion}: deletes its dependents (in the foreground
 *       when they have dependents of their own), releases those that have another owner, and
 *       removes the finalizer once no dependent with {@code blockOwnerDeletion: true} is left;</li>
 *   <li>deletes everything in a Namespace that has gone, as the namespace controller does.</li>
 * </ul>
 * It writes through the {@link MutationPipeline} as the simulated controllers' user, so its
 * writes are admitted and conflict-checked as any client's; a conflict is retried shortly.
 */
final class GarbageCollector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);
  /** The finalizer that keeps an owner deleted in the foreground until its blocking dependents are gone. */
  static final String FOREGROUND_DELETION = "foregroundDeletion";
  /** The finalizer that keeps an owner deleted with Orphan until its dependents have been released. */
  static final String ORPHAN = "orphan";
  private static final long RETRY_MILLIS = 100;

  private final CrudStore store;
  private final ResourceRegistry registry;
  private final MutationPipeline pipeline;
  /** Paths waiting to be examined: one pending examination per path is enough. */
  private final Set<String> pending = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "apiserver-garbage-collector");
    thread.setDaemon(true);
    return thread;
  });

  GarbageCollector(CrudStore store, ResourceRegistry registry, MutationPipeline pipeline) {
    this.store = store;
    this.registry = registry;
    this.pipeline = pipeline;
    store.listen(this::changed);
  }

  /**
   * Sets the finalizer a delete with {@code propagation} asks for, as upstream's
   * deletionFinalizersForGarbageCollection (Background keeps whichever the object has).
   *
   * @return whether the finalizers changed
   */
  static boolean withPropagationFinalizers(ObjectNode object, WriteOptions.Propagation propagation) {
    if (propagation == WriteOptions.Propagation.BACKGROUND) {
      return false;
    }
    String wanted = propagation == WriteOptions.Propagation.ORPHAN ? ORPHAN : FOREGROUND_DELETION;
    String other = wanted.equals(ORPHAN) ? FOREGROUND_DELETION : ORPHAN;
    if (hasFinalizer(object, wanted) && !hasFinalizer(object, other)) {
      return false;
    }
    ArrayNode finalizers = object.arrayNode();
    object.path("metadata").path("finalizers").forEach(f -> {
      if (!other.equals(f.asText()) && !wanted.equals(f.asText())) {
        finalizers.add(f);
      }
    });
    finalizers.add(wanted);
    object.withObjectProperty("metadata").set("finalizers", finalizers);
    return true;
  }

  /** What the store reports: only queues work, since it runs inside the write. */
  private void changed(String path, JsonNode object, boolean removed) {
    if (worker.isShutdown()) {
      return;
    }
    if (removed) {
      worker.execute(() -> guarded(() -> removed(object)));
    } else if (GracefulDeletion.isMarked(object)
        && (hasFinalizer(object, ORPHAN) || hasFinalizer(object, FOREGROUND_DELETION))) {
      examineSoon(path, 0);
    }
  }

  /** An object has left the store: its dependents may be garbage now, its waiting owners may go. */
  private void removed(JsonNode object) {
    if (object.path("kind").asText().equals("Namespace") && object.path("apiVersion").asText().equals("v1")) {
      emptyNamespace(object.path("metadata").path("name").asText());
    }
    store.dependentsOf(uidOf(object)).forEach(path -> examineSoon(path, 0));
    String namespace = object.path("metadata").path("namespace").asText(null);
    for (JsonNode reference : object.path("metadata").path("ownerReferences")) {
      ownerPath(namespace, reference).ifPresent(path -> examineSoon(path, 0));
    }
  }

  private void examineSoon(String path, long delayMillis) {
    if (!worker.isShutdown() && pending.add(path)) {
      worker.schedule(() -> {
        pending.remove(path);
        guarded(() -> examine(path));
      }, delayMillis, TimeUnit.MILLISECONDS);
    }
  }

  private void guarded(Runnable work) {
    try {
      work.run();
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.debug("garbage collection stopped: {}", e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("garbage collection step failed", e);
    }
  }

  /** Upstream's attemptToDelete / attemptToOrphan for the object at {@code path}. */
  private void examine(String path) {
    Optional<ObjectNode> found = store.get(path);
    if (found.isEmpty()) {
      return;
    }
    ObjectNode object = found.get();
    if (GracefulDeletion.isMarked(object)) {
      if (hasFinalizer(object, ORPHAN)) {
        orphanDependents(path, object);
      } else if (hasFinalizer(object, FOREGROUND_DELETION)) {
        deleteDependents(path, object);
      }
      return; // otherwise it is already being deleted
    }
    JsonNode references = object.path("metadata").path("ownerReferences");
    if (references.isEmpty()) {
      return;
    }
    String namespace = object.path("metadata").path("namespace").asText(null);
    List<String> absent = new ArrayList<>();
    List<String> waiting = new ArrayList<>();
    List<String> waitingPaths = new ArrayList<>();
    boolean solid = false;
    for (JsonNode reference : references) {
      String uid = reference.path("uid").asText();
      Optional<String> ownerPath = ownerPath(namespace, reference);
      Optional<ObjectNode> owner = ownerPath.flatMap(store::get).filter(o -> uid.equals(uidOf(o)));
      if (owner.isEmpty()) {
        absent.add(uid);
      } else if (GracefulDeletion.isMarked(owner.get()) && hasFinalizer(owner.get(), FOREGROUND_DELETION)) {
        waiting.add(uid);
        waitingPaths.add(ownerPath.get());
      } else {
        solid = true;
      }
    }
    if (absent.isEmpty() && waiting.isEmpty()) {
      return;
    }
    if (solid) {
      // another owner lives: keep the object, without its references to the ones going away
      List<String> released = new ArrayList<>(absent);
      released.addAll(waiting);
      withoutReferences(path, object, released);
      waitingPaths.forEach(owner -> examineSoon(owner, 0));
      return;
    }
    WriteOptions.Propagation propagation;
    if (!waiting.isEmpty() && !store.dependentsOf(uidOf(object)).isEmpty()) {
      propagation = WriteOptions.Propagation.FOREGROUND; // so the waiting owner waits for them too
    } else if (hasFinalizer(object, ORPHAN)) {
      propagation = WriteOptions.Propagation.ORPHAN;
    } else if (hasFinalizer(object, FOREGROUND_DELETION)) {
      propagation = WriteOptions.Propagation.FOREGROUND;
    } else {
      propagation = WriteOptions.Propagation.BACKGROUND;
    }
    delete(path, propagation);
  }

  /** Foreground: delete the dependents; the owner goes once no blocking one is left. */
  private void deleteDependents(String path, ObjectNode owner) {
    String uid = uidOf(owner);
    boolean blocked = false;
    for (String dependentPath : dependentsInScope(owner)) {
      examine(dependentPath);
      blocked |= store.get(dependentPath).filter(d -> blocks(d, uid)).isPresent();
    }
    if (!blocked) {
      withoutFinalizer(path, owner, FOREGROUND_DELETION);
    }
  }

  /** Orphan: release every dependent, then let the owner go. */
  private void orphanDependents(String path, ObjectNode owner) {
    String uid = uidOf(owner);
    for (String dependentPath : dependentsInScope(owner)) {
      store.get(dependentPath).ifPresent(dependent -> withoutReferences(dependentPath, dependent, List.of(uid)));
    }
    withoutFinalizer(path, owner, ORPHAN);
  }

  /** The paths of the objects naming {@code owner}: a namespaced owner owns only in its namespace. */
  private List<String> dependentsInScope(JsonNode owner) {
    String namespace = owner.path("metadata").path("namespace").asText(null);
    return store.dependentsOf(uidOf(owner)).stream()
        .filter(path -> namespace == null || namespace.equals(ApiPaths.parse(path).orElseThrow().namespace()))
        .toList();
  }

  /** Whether {@code dependent} holds its owner {@code uid}'s foreground deletion (blockOwnerDeletion). */
  private static boolean blocks(JsonNode dependent, String uid) {
    for (JsonNode reference : dependent.path("metadata").path("ownerReferences")) {
      if (uid.equals(reference.path("uid").asText()) && reference.path("blockOwnerDeletion").asBoolean(false)) {
        return true;
      }
    }
    return false;
  }

  private void withoutReferences(String path, ObjectNode object, List<String> ownerUids) {
    ObjectNode next = object.deepCopy();
    ArrayNode kept = next.arrayNode();
    object.path("metadata").path("ownerReferences").forEach(reference -> {
      if (!ownerUids.contains(reference.path("uid").asText())) {
        kept.add(reference);
      }
    });
    if (kept.size() == object.path("metadata").path("ownerReferences").size()) {
      return;
    }
    ObjectNode metadata = next.withObjectProperty("metadata");
    if (kept.isEmpty()) {
      metadata.remove("ownerReferences");
    } else {
      metadata.set("ownerReferences", kept);
    }
    update(path, next);
  }

  private void withoutFinalizer(String path, ObjectNode object, String finalizer) {
    ObjectNode next = object.deepCopy();
    ArrayNode kept = next.arrayNode();
    object.path("metadata").path("finalizers").forEach(f -> {
      if (!finalizer.equals(f.asText())) {
        kept.add(f);
      }
    });
    next.withObjectProperty("metadata").set("finalizers", kept);
    update(path, next);
  }

  /** Writes {@code object} (with the resourceVersion it was read at) as the controllers' user. */
  private void update(String path, ObjectNode object) {
    ResourceRef ref = ApiPaths.parse(path).orElseThrow();
    try {
      pipeline.update(typeOf(ref), ref, object, WriteOptions.internal(), UserInfo.CONTROLLERS);
    } catch (ApiError e) {
      if (e.code() == 409) {
        examineSoon(path, RETRY_MILLIS); // read again and decide again
      } else if (e.code() != 404) {
        throw e;
      }
    }
  }

  private void delete(String path, WriteOptions.Propagation propagation) {
    ResourceRef ref = ApiPaths.parse(path).orElseThrow();
    try {
      pipeline.delete(typeOf(ref), ref, WriteOptions.collecting(propagation), UserInfo.CONTROLLERS);
    } catch (ApiError e) {
      if (e.code() != 404) {
        throw e;
      }
    }
  }

  private ResourceType typeOf(ResourceRef ref) {
    return registry.find(ref.group(), ref.version(), ref.plural())
        .orElseThrow(() -> ApiError.internal("no resource type for " + ref));
  }

  /** Where the owner a reference names is stored, if its kind is one the server stores. */
  private Optional<String> ownerPath(String namespace, JsonNode reference) {
    String apiVersion = reference.path("apiVersion").asText();
    String kind = reference.path("kind").asText();
    return registry.all().stream()
        .filter(type -> type.apiVersion().equals(apiVersion) && type.kind().equals(kind) && type.isStored())
        .findFirst()
        .map(type -> ApiPaths.of(new ResourceRef(type.group(), type.version(), type.plural(),
            type.namespaced() ? namespace : null, reference.path("name").asText(), null)));
  }

  /** Deletes everything in a namespace that has just been removed, as the namespace controller does. */
  private void emptyNamespace(String namespace) {
    for (ResourceType type : registry.all()) {
      if (type.isStored() && type.namespaced()) {
        for (ObjectNode object : store.list(ApiPaths.of(new ResourceRef(type.group(), type.version(), type.plural(),
            namespace, null, null)))) {
          store.dispatch(HttpMethod.DELETE, ApiPaths.of(new ResourceRef(type.group(), type.version(), type.plural(),
              namespace, object.path("metadata").path("name").asText(), null)), null);
        }
      }
    }
  }

  static boolean hasFinalizer(JsonNode object, String finalizer) {
    for (JsonNode f : object.path("metadata").path("finalizers")) {
      if (finalizer.equals(f.asText())) {
        return true;
      }
    }
    return false;
  }

  private static String uidOf(JsonNode object) {
    return object.path("metadata").path("uid").asText();
  }

  /** Stops the worker; work still queued is dropped, as a stopped controller's would be. */
  @Override
  public void close() {
    worker.shutdownNow();
  }
}
