package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import java.util.ArrayList;
import java.util.List;

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
    String uid = owner.path("metadata").path("uid").asText();
    String namespace = owner.path("metadata").path("namespace").asText(null);
    for (String path : store.dependentsOf(uid)) {
      ResourceRef ref = ApiPaths.parse(path).orElseThrow();
      if (namespace != null && !namespace.equals(ref.namespace())) {
        continue;
      }
      store.get(path).ifPresent(dependent -> {
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
