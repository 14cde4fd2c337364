package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Cascading deletion, as the cluster's garbage collector does it: when an object is gone, the
 * objects whose every {@code ownerReference} points at it are deleted too, and so on down
 * (deleting a Deployment deletes its ReplicaSets and their Pods); and deleting a Namespace deletes
 * what is in it; a delete with {@code propagationPolicy=Orphan} leaves the dependents without
 * their ownerReference to it. Runs synchronously inside the delete, so watchers see the
 * dependents' events right after the owner's.
 */
final class GarbageCollector {
  private final CrudStore store;
  private final ResourceRegistry registry;

  GarbageCollector(CrudStore store, ResourceRegistry registry) {
    this.store = store;
    this.registry = registry;
  }

  /** The finalizer that keeps an owner deleted in the foreground until its dependents are gone. */
  static final String FOREGROUND_DELETION = "foregroundDeletion";

  /** Whether any stored object names {@code owner} among its owners. */
  boolean hasDependents(JsonNode owner) {
    String uid = owner.path("metadata").path("uid").asText();
    return store.dependentsOf(uid).stream().anyMatch(path -> store.get(path)
        .map(d -> d.path("metadata").path("ownerReferences").findValuesAsText("uid").contains(uid)).orElse(false));
  }

  /**
   * Upstream's foreground deletion: the owner is marked (deletionTimestamp and the
   * {@code foregroundDeletion} finalizer), its dependents are deleted, and the owner goes when
   * none is left (a dependent held by its own finalizers keeps it until it goes).
   *
   * @return the owner as marked, which is what upstream answers the DELETE with
   */
  ObjectNode deleteInForeground(String path, ObjectNode owner) {
    ObjectNode marked = owner.deepCopy();
    ObjectNode metadata = (ObjectNode) marked.path("metadata");
    metadata.put("deletionTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    metadata.put("deletionGracePeriodSeconds", 0);
    metadata.withArray("finalizers").add(FOREGROUND_DELETION);
    ObjectNode answer = (ObjectNode) CrudStore.parse(store.dispatch(HttpMethod.PUT, path, marked));
    ownerDeleted(answer);
    // a dependent that has other owners lives on without this one, as upstream's collector leaves it
    release(answer, dependent -> !ownedOnlyBy(dependent, uidOf(answer)));
    finishForeground(path, uidOf(answer));
    return answer;
  }

  /** A dependent has left the store: its owners deleted in the foreground may now go too. */
  void dependentGone(JsonNode dependent) {
    String namespace = dependent.path("metadata").path("namespace").asText(null);
    for (JsonNode reference : dependent.path("metadata").path("ownerReferences")) {
      String apiVersion = reference.path("apiVersion").asText();
      String kind = reference.path("kind").asText();
      registry.all().stream()
          .filter(type -> type.apiVersion().equals(apiVersion) && type.kind().equals(kind) && type.isStored())
          .findFirst()
          .ifPresent(type -> finishForeground(ApiPaths.of(new ResourceRef(type.group(), type.version(), type.plural(),
              type.namespaced() ? namespace : null, reference.path("name").asText(), null)),
              reference.path("uid").asText()));
    }
  }

  /** Removes the foregroundDeletion finalizer of the owner at {@code path} once it has no dependents. */
  private void finishForeground(String path, String uid) {
    store.get(path).filter(owner -> uid.equals(uidOf(owner)))
        .filter(owner -> hasFinalizer(owner, FOREGROUND_DELETION) && !hasDependents(owner))
        .ifPresent(owner -> {
          ArrayNode kept = owner.arrayNode();
          owner.path("metadata").path("finalizers").forEach(f -> {
            if (!FOREGROUND_DELETION.equals(f.asText())) {
              kept.add(f);
            }
          });
          ((ObjectNode) owner.path("metadata")).set("finalizers", kept);
          store.dispatch(HttpMethod.PUT, path, owner);
          if (store.get(path).isEmpty()) {
            dependentGone(owner);
          }
        });
  }

  private static boolean hasFinalizer(JsonNode object, String finalizer) {
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

  /** Deletes the dependents of an owner that has just been removed from the store. */
  void ownerDeleted(JsonNode owner) {
    String uid = owner.path("metadata").path("uid").asText();
    String namespace = owner.path("metadata").path("namespace").asText(null);
    for (Dependent dependent : dependentsOf(uid, namespace)) {
      String path = ApiPaths.of(dependent.ref());
      store.dispatch(HttpMethod.DELETE, path, null);
      // a dependent with finalizers is only marked for deletion; its own dependents wait for it
      if (store.get(path).isEmpty()) {
        ownerDeleted(dependent.object());
      }
    }
  }

  /**
   * Orphans the dependents of an owner deleted with {@code propagationPolicy=Orphan}, as
   * upstream's garbage collector does: each keeps living, without its ownerReference to the owner.
   */
  void ownerOrphaned(JsonNode owner) {
    release(owner, dependent -> true);
  }

  /** Removes the ownerReference to {@code owner} from its dependents that {@code which} selects. */
  private void release(JsonNode owner, Predicate<JsonNode> which) {
    String uid = uidOf(owner);
    String namespace = owner.path("metadata").path("namespace").asText(null);
    for (String path : store.dependentsOf(uid)) {
      ResourceRef ref = ApiPaths.parse(path).orElseThrow();
      if (namespace != null && !namespace.equals(ref.namespace())) {
        continue;
      }
      store.get(path).filter(which).ifPresent(dependent -> {
        ArrayNode kept = dependent.arrayNode();
        dependent.path("metadata").path("ownerReferences").forEach(reference -> {
          if (!uid.equals(reference.path("uid").asText())) {
            kept.add(reference);
          }
        });
        ObjectNode metadata = (ObjectNode) dependent.path("metadata");
        if (kept.isEmpty()) {
          metadata.remove("ownerReferences");
        } else {
          metadata.set("ownerReferences", kept);
        }
        store.dispatch(HttpMethod.PUT, path, dependent);
      });
    }
  }

  /** Deletes everything in a namespace that has just been removed, as the namespace controller does. */
  void namespaceDeleted(String namespace) {
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

  private record Dependent(ResourceRef ref, ObjectNode object) {
  }

  /** The objects owned only by {@code uid}, from the store's owner index, each read again. */
  private List<Dependent> dependentsOf(String uid, String namespace) {
    List<Dependent> dependents = new ArrayList<>();
    for (String path : store.dependentsOf(uid)) {
      ResourceRef ref = ApiPaths.parse(path).orElseThrow();
      // namespaced owners only own objects in their namespace; cluster-scoped ones anything
      if (namespace != null && !namespace.equals(ref.namespace())) {
        continue;
      }
      store.get(path).filter(candidate -> ownedOnlyBy(candidate, uid))
          .ifPresent(candidate -> dependents.add(new Dependent(ref, candidate)));
    }
    return dependents;
  }

  /**
   * Upstream keeps a dependent while any other owner lives; the sandbox, simpler, keeps every
   * dependent that names any other owner.
   */
  private static boolean ownedOnlyBy(JsonNode candidate, String uid) {
    JsonNode owners = candidate.path("metadata").path("ownerReferences");
    if (owners.isEmpty()) {
      return false;
    }
    for (JsonNode owner : owners) {
      if (!uid.equals(owner.path("uid").asText())) {
        return false;
      }
    }
    return true;
  }
}
