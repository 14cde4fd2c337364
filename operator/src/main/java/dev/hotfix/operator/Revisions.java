package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.ImageRecord;
import dev.hotfix.api.v1alpha1.RevisionRecord;
import dev.hotfix.api.v1alpha1.StrategyRecord;
import dev.hotfix.rollout.DeploymentRevisions;
import dev.hotfix.rollout.PodTemplates;
import dev.hotfix.rollout.WorkloadView;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.Map;
import java.util.stream.Collectors;

/** Builds and describes {@link RevisionRecord}s. */
final class Revisions {
  private Revisions() {
  }

  /** A record of one ReplicaSet's revision of the Deployment, with the owner's strategy. */
  static RevisionRecord record(DeploymentRevisions revisions, ReplicaSet rs) {
    RevisionRecord r = new RevisionRecord();
    r.revision = DeploymentRevisions.revisionOf(rs);
    r.podTemplateHash = DeploymentRevisions.hashOf(rs);
    r.replicaSet = rs.getMetadata().getName();
    r.images = PodTemplates.images(rs.getSpec().getTemplate()).entrySet().stream()
        .map(e -> new ImageRecord(e.getKey(), e.getValue())).toList();
    r.strategy = WorkloadView.strategyOf(revisions.workload());
    return r;
  }

  static Map<String, String> imagesOf(RevisionRecord r) {
    return r.images.stream().collect(Collectors.toMap(i -> i.name, i -> i.image, (a, b) -> a,
        java.util.LinkedHashMap::new));
  }

  static String describe(RevisionRecord r) {
    return describe(imagesOf(r));
  }

  /** {@code 1} or {@code 25%}, as a manifest writes it. */
  static String describe(IntOrString value) {
    return value == null ? "default" : value.getIntVal() != null ? value.getIntVal().toString() : value.getStrVal();
  }

  static String describe(Map<String, String> images) {
    return images.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
  }
}
