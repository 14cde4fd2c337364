package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which stored objects name which owners, kept from every write to the store: what the garbage
 * collector looks dependents up in. Without it each deletion listed every stored type of the
 * namespace (under the store's write lock), so a cluster of a thousand Deployments spent its time
 * scanning instead of rolling out. The paths it gives may be stale by the time they are read; the
 * collector reads each object again before it deletes it.
 */
final class OwnerIndex {
  private final Map<String, Set<String>> dependentsByOwnerUid = new HashMap<>();
  private final Map<String, Set<String>> ownerUidsByPath = new HashMap<>();

  /** {@code object}, stored at {@code path}, now names these owners (none: forget it as a dependent). */
  synchronized void stored(String path, JsonNode object) {
    forget(path);
    Set<String> owners = new HashSet<>();
    object.path("metadata").path("ownerReferences").forEach(o -> owners.add(o.path("uid").asText()));
    if (!owners.isEmpty()) {
      ownerUidsByPath.put(path, owners);
      owners.forEach(uid -> dependentsByOwnerUid.computeIfAbsent(uid, k -> new HashSet<>()).add(path));
    }
  }

  /** The object at {@code path} is gone. */
  synchronized void deleted(String path) {
    forget(path);
  }

  /** The paths of the objects that name {@code ownerUid} among their owners. */
  synchronized List<String> dependentsOf(String ownerUid) {
    return List.copyOf(dependentsByOwnerUid.getOrDefault(ownerUid, Set.of()));
  }

  private void forget(String path) {
    Set<String> owners = ownerUidsByPath.remove(path);
    if (owners != null) {
      for (String uid : owners) {
        Set<String> dependents = dependentsByOwnerUid.get(uid);
        dependents.remove(path);
        if (dependents.isEmpty()) {
          dependentsByOwnerUid.remove(uid);
        }
      }
    }
  }
}
