package dev.hotfix.sandbox.cluster;

import dev.hotfix.rollout.PodTemplates;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Finding, creating and keeping up to date the ReplicaSet of a Deployment's current template,
 * as upstream's getAllReplicaSetsAndSyncRevision: named {@code <deployment>-<pod-template-hash>},
 * selected and labelled by the hash, revision max(old)+1 (so a re-used ReplicaSet, as after a
 * rollback, moves to the top and records its earlier numbers in revision-history), carrying the
 * Deployment's annotations, and its revision mirrored on the Deployment.
 */
final class NewReplicaSets {

  private final KubernetesClient client;
  private final RolloutWrites writes;

  NewReplicaSets(KubernetesClient client, RolloutWrites writes) {
    this.client = client;
    this.writes = writes;
  }

  /**
   * Splits the owned ReplicaSets into the new one (the oldest whose template matches, ignoring
   * the hash label) and the old ones, and syncs the new one's revision.
   */
  void find(Rollout rollout) {
    ReplicaSet existing = newOf(rollout.deployment.getSpec().getTemplate(), rollout.owned);
    rollout.old = oldOf(existing, rollout.owned);
    rollout.newRS = existing == null ? null : syncExisting(rollout, existing);
  }

  /**
   * Upstream's FindNewReplicaSet: the oldest ReplicaSet whose template equals {@code template}
   * ignoring the hash label (a duplicate made later, as after a hash collision, stays old), or null.
   */
  static ReplicaSet newOf(PodTemplateSpec template, Collection<ReplicaSet> owned) {
    return owned.stream()
        .filter(rs -> PodTemplates.equalIgnoringHash(rs.getSpec().getTemplate(), template))
        .min(ReplicaSets.OLDEST_FIRST)
        .orElse(null);
  }

  /** Upstream's FindOldReplicaSets: every ReplicaSet but the new one (by uid), in the given order. */
  static List<ReplicaSet> oldOf(ReplicaSet newRS, Collection<ReplicaSet> owned) {
    String newUid = newRS == null ? null : newRS.getMetadata().getUid();
    return new ArrayList<>(owned.stream().filter(rs -> newRS == null
        || (newUid == null ? rs != newRS : !newUid.equals(rs.getMetadata().getUid()))).toList());
  }

  /** Creates the new ReplicaSet if the rollout has none yet. */
  void createIfMissing(Rollout rollout) {
    if (rollout.newRS == null) {
      rollout.newRS = create(rollout);
    }
  }

  /**
   * Brings the new ReplicaSet's revision (max of the old ones + 1, so a re-used one moves to the
   * top) and annotations up to date, and the Deployment's revision with it.
   */
  private ReplicaSet syncExisting(Rollout rollout, ReplicaSet existing) {
    Deployment d = rollout.deployment;
    long newRevision = ReplicaSets.maxRevision(rollout.old) + 1;
    int replicas = DeploymentSpecs.replicas(d);
    int maxReplicas = replicas + DeploymentSpecs.maxSurge(d);
    Map<String, String> annotations = RevisionAnnotations.editable(existing.getMetadata().getAnnotations());
    boolean annotationsChanged =
        RevisionAnnotations.updateNewReplicaSet(
            d.getMetadata().getAnnotations(), annotations, newRevision, true, replicas, maxReplicas);
    int minReady = DeploymentSpecs.minReadySeconds(d);
    if (annotationsChanged || !Objects.equals(existing.getSpec().getMinReadySeconds(), minReady)) {
      // the write brings the ReplicaSet back through the informer; the Deployment follows then
      return writes.patch(
          existing,
          GuardedJsonPatch.against(existing)
              .set("/metadata/annotations", annotations)
              .set("/spec/minReadySeconds", minReady));
    }
    writes.syncDeploymentRevision(rollout, annotations.get(RevisionAnnotations.REVISION));
    if (DeploymentSpecs.hasProgressDeadline(d)
        && DeploymentConditions.get(d.getStatus(), DeploymentConditions.PROGRESSING).isEmpty()) {
      writes.setProgressing(
          rollout, "True", DeploymentConditions.FOUND_NEW_RS,
          "Found new replica set \"" + existing.getMetadata().getName() + "\"");
    }
    return existing;
  }

  /** Creates the ReplicaSet for the current template, sized within maxSurge. */
  private ReplicaSet create(Rollout rollout) {
    Deployment d = rollout.deployment;
    long newRevision = ReplicaSets.maxRevision(rollout.old) + 1;
    int replicas = DeploymentSpecs.replicas(d);
    int maxReplicas = replicas + DeploymentSpecs.maxSurge(d);
    Integer collisionCount = d.getStatus() == null ? null : d.getStatus().getCollisionCount();
    String hash = PodTemplateHash.of(d.getSpec().getTemplate(), collisionCount);
    PodTemplateSpec template = client.getKubernetesSerialization().clone(d.getSpec().getTemplate());
    if (template.getMetadata() == null) {
      template.setMetadata(new ObjectMeta());
    }
    template.getMetadata().setLabels(PodTemplateHash.withHashLabel(template.getMetadata().getLabels(), hash));
    Map<String, String> annotations = new HashMap<>();
    RevisionAnnotations.updateNewReplicaSet(
        d.getMetadata().getAnnotations(), annotations, newRevision, false, replicas, maxReplicas);
    ReplicaSet rs =
        new ReplicaSetBuilder()
            .withNewMetadata()
            .withName(d.getMetadata().getName() + "-" + hash)
            .withNamespace(d.getMetadata().getNamespace())
            .withLabels(template.getMetadata().getLabels())
            .withAnnotations(annotations)
            .withOwnerReferences(ControllerRefs.controlledBy(d))
            .endMetadata()
            .withNewSpec()
            .withReplicas(0)
            .withMinReadySeconds(DeploymentSpecs.minReadySeconds(d))
            .withSelector(
                new LabelSelectorBuilder(d.getSpec().getSelector())
                    .addToMatchLabels(PodTemplateHash.LABEL, hash)
                    .build())
            .withTemplate(template)
            .endSpec()
            .build();
    List<ReplicaSet> all = new ArrayList<>(rollout.old);
    all.add(rs);
    rs.getSpec().setReplicas(RollingUpdate.newReplicaSetSize(d, all, rs));
    ReplicaSet created;
    try {
      created = client.apps().replicaSets().resource(rs).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      return resolveNameTaken(rollout, rs);
    }
    writes.syncDeploymentRevision(rollout, Long.toString(newRevision));
    if (DeploymentSpecs.hasProgressDeadline(d)) {
      writes.setProgressing(
          rollout, "True", DeploymentConditions.NEW_RS_CREATED,
          "Created new replica set \"" + created.getMetadata().getName() + "\"");
    }
    return created;
  }

  /**
   * The new ReplicaSet's name exists already: either this controller made it and the cache has
   * not seen it yet (retry later), or another template hashed to the same name, which upstream
   * resolves by bumping status.collisionCount so the next hash differs.
   */
  private ReplicaSet resolveNameTaken(Rollout rollout, ReplicaSet wanted) {
    ReplicaSet taken = client.apps().replicaSets().inNamespace(wanted.getMetadata().getNamespace())
        .withName(wanted.getMetadata().getName()).get();
    boolean ours = taken != null
        && ControllerRefs.controllerOf(taken)
            .map(ref -> ref.getUid().equals(rollout.deployment.getMetadata().getUid()))
            .orElse(false);
    if (taken == null || (ours && PodTemplates.equalIgnoringHash(taken.getSpec().getTemplate(), wanted.getSpec().getTemplate()))) {
      throw new StaleCacheException("replica set " + wanted.getMetadata().getName() + " exists but is not cached yet");
    }
    DeploymentStatus status = rollout.editableStatus();
    status.setCollisionCount(status.getCollisionCount() == null ? 1 : status.getCollisionCount() + 1);
    writes.writeStatus(rollout, status);
    throw new StaleCacheException("pod template hash collision on " + wanted.getMetadata().getName());
  }
}
