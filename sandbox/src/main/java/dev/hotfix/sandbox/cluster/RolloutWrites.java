package dev.hotfix.sandbox.cluster;

import dev.hotfix.notify.EventRecorder;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.util.Map;

/**
 * The Deployment controller's writes. Main resources are changed by a {@link GuardedJsonPatch} of
 * only the fields the controller owns, status through the status subresource; both carry the
 * resourceVersion read, so a stale decision fails with 409 instead of overwriting newer state.
 * Each write updates the {@link Rollout} with the object returned.
 */
final class RolloutWrites {

  /** The component name on the Deployment controller's events. */
  static final String COMPONENT = "deployment-controller";
  private static final EventSource SOURCE = new EventSource(COMPONENT, null);

  private final KubernetesClient client;
  private final EventRecorder events;

  RolloutWrites(KubernetesClient client, EventRecorder events) {
    this.client = client;
    this.events = events;
  }

  /** Sets a ReplicaSet's size (and replica annotations); true if the size changed. */
  boolean scaleReplicaSet(Rollout rollout, ReplicaSet rs, int size) {
    Deployment d = rollout.deployment;
    int replicas = DeploymentSpecs.replicas(d);
    int max = replicas + DeploymentSpecs.maxSurge(d);
    boolean sizeChanged = ReplicaSets.desired(rs) != size;
    if (!sizeChanged && !RevisionAnnotations.replicasNeedUpdate(rs.getMetadata().getAnnotations(), replicas, max)) {
      return false;
    }
    Map<String, String> annotations = RevisionAnnotations.editable(rs.getMetadata().getAnnotations());
    RevisionAnnotations.setReplicas(annotations, replicas, max);
    rollout.replace(
        patch(rs, GuardedJsonPatch.against(rs).set("/spec/replicas", size).set("/metadata/annotations", annotations)));
    if (sizeChanged) {
      int from = ReplicaSets.desired(rs);
      events.record(d, SOURCE, EventRecorder.NORMAL, "ScalingReplicaSet",
          "Scaled " + (size > from ? "up" : "down") + " replica set " + rs.getMetadata().getName()
              + " from " + from + " to " + size);
    }
    return sizeChanged;
  }

  /** Applies a patch to a ReplicaSet and returns it as the API server now holds it. */
  ReplicaSet patch(ReplicaSet rs, GuardedJsonPatch patch) {
    return client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace())
        .withName(rs.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON), patch.toJson());
  }

  /**
   * Records the new ReplicaSet's revision on the Deployment, where kubectl reads it; through the
   * status subresource, as upstream, so the annotation does not bump the generation.
   */
  void syncDeploymentRevision(Rollout rollout, String revision) {
    Deployment d = client.getKubernetesSerialization().clone(rollout.deployment);
    Map<String, String> annotations = RevisionAnnotations.editable(d.getMetadata().getAnnotations());
    if (revision == null || revision.equals(annotations.get(RevisionAnnotations.REVISION))) {
      return;
    }
    annotations.put(RevisionAnnotations.REVISION, revision);
    d.getMetadata().setAnnotations(annotations);
    rollout.deployment = client.apps().deployments().resource(d).updateStatus();
  }

  /** Writes the Deployment's status unless it already is {@code status}. */
  void writeStatusIfChanged(Rollout rollout, DeploymentStatus status) {
    if (!SemanticEquality.same(status, rollout.deployment.getStatus())) {
      writeStatus(rollout, status);
    }
  }

  /** Writes the Deployment's status through the status subresource. */
  void writeStatus(Rollout rollout, DeploymentStatus status) {
    Deployment d = client.getKubernetesSerialization().clone(rollout.deployment);
    d.setStatus(status);
    rollout.deployment = client.apps().deployments().resource(d).updateStatus();
  }

  /**
   * Records a step of the rollout (new ReplicaSet found or created, paused, resumed) in the
   * Progressing condition, with upstream's rule for keeping lastTransitionTime.
   */
  void setProgressing(Rollout rollout, String conditionStatus, String reason, String message) {
    DeploymentStatus status = rollout.editableStatus();
    DeploymentConditions.set(
        status,
        DeploymentConditions.create(DeploymentConditions.PROGRESSING, conditionStatus, reason, message, Instant.now()));
    writeStatus(rollout, status);
  }

  /** Deletes an old ReplicaSet (pruned history). */
  void delete(ReplicaSet rs) {
    client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace())
        .withName(rs.getMetadata().getName()).delete();
  }
}
