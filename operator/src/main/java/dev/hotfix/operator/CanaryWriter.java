package dev.hotfix.operator;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;

/** Creates and removes a Hotfix's canary ReplicaSet: the only ReplicaSets the operator writes. */
public interface CanaryWriter {

  /**
   * Creates the canary.
   *
   * @throws WriteConflict when a ReplicaSet of that name exists already (the cache had not shown it)
   * @throws WriteRefused when the API server refuses it as invalid (422)
   */
  ReplicaSet create(ReplicaSet canary) throws WriteConflict;

  /** Deletes the canary (its pods go with it); one already gone is fine. */
  void delete(ReplicaSet canary);

  /** Whether the ReplicaSet exists, read from the API (the cache may not have shown a fresh one yet). */
  boolean exists(String namespace, String name);
}
