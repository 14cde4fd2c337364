package dev.hotfix.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotfix.api.v1alpha1.StrategyRecord;
import dev.hotfix.api.v1alpha1.TargetKind;
import dev.hotfix.json.KubernetesJson;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetUpdateStrategy;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategy;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A StatefulSet or DaemonSet seen the way the phase handlers see a Deployment: the workload as
 * a Deployment of the same name, uid, resourceVersion, annotations and pod template, and each of
 * its ControllerRevisions as a ReplicaSet holding that revision's exact pod template, numbered by
 * the revision, with the pods that carry its {@code controller-revision-hash}.
 *
 * <p>Why a view rather than a second state machine: what makes a hot fix safe (one holder at a
 * time, the record written with the change, rollback only to a revision known good, other
 * writers detected) is the same for every kind, and it is proven once. What differs by kind stays
 * at the edges, each in one place: the strategy field a patch writes ({@link DeploymentPatch}),
 * the progress judgement ({@code health/RolloutProgress}, as {@code kubectl rollout status}
 * judges each kind), and the resource a write goes to. The view is never written: writes go to
 * the real object, by name, with the resourceVersion the view carries.
 */
public final class WorkloadView {
  /** The label pods and ControllerRevisions carry: a StatefulSet's pods name their revision, a DaemonSet's its hash. */
  public static final String REVISION_HASH_LABEL = "controller-revision-hash";

  private WorkloadView() {
  }

  /** The kind of a workload object (fabric8 may leave {@code kind} unset on listed objects). */
  public static TargetKind kindOf(HasMetadata workload) {
    if (workload instanceof StatefulSet) {
      return TargetKind.StatefulSet;
    }
    if (workload instanceof DaemonSet) {
      return TargetKind.DaemonSet;
    }
    if (workload instanceof Deployment d && d.getKind() != null) {
      return TargetKind.valueOf(d.getKind());
    }
    return TargetKind.Deployment;
  }

  /** The revisions of any target: a Deployment's ReplicaSets, or a StatefulSet's or DaemonSet's ControllerRevisions. */
  public static DeploymentRevisions revisions(HasMetadata workload, Collection<ReplicaSet> replicaSets,
      Collection<ControllerRevision> controllerRevisions, Collection<Pod> pods) {
    if (workload instanceof Deployment d) {
      return new DeploymentRevisions(d, replicaSets);
    }
    Deployment view = deployment(workload);
    List<Pod> viewPods = pods(workload, pods);
    List<ReplicaSet> viewRevisions = controllerRevisions.stream()
        .filter(r -> controlledBy(r, workload))
        .map(r -> replicaSet(workload, view, r, viewPods)).toList();
    return new DeploymentRevisions(view, viewRevisions, workload);
  }

  /**
   * The pods of a StatefulSet or DaemonSet labelled as a Deployment's are ({@code pod-template-hash}
   * = the revision key of {@link #keyOf}), so pods are matched to revisions the same way for every kind.
   */
  public static List<Pod> pods(HasMetadata workload, Collection<Pod> pods) {
    if (workload instanceof Deployment) {
      return List.copyOf(pods);
    }
    return pods.stream().map(p -> {
      Map<String, String> labels = new HashMap<>(p.getMetadata().getLabels() == null ? Map.of()
          : p.getMetadata().getLabels());
      String revision = labels.get(REVISION_HASH_LABEL);
      if (revision != null) {
        labels.put(PodTemplates.HASH_LABEL, revision);
      }
      return new PodBuilder(p).editMetadata().withLabels(labels).endMetadata().build();
    }).toList();
  }

  /** The workload as a Deployment: its metadata, pod template, replicas and strategy. */
  static Deployment deployment(HasMetadata workload) {
    ObjectMeta meta = new ObjectMetaBuilder(workload.getMetadata()).build();
    DeploymentBuilder b = new DeploymentBuilder().withMetadata(meta);
    if (workload instanceof StatefulSet s) {
      b.withNewSpec()
          .withReplicas(s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas())
          .withSelector(s.getSpec().getSelector())
          .withTemplate(s.getSpec().getTemplate())
          .withMinReadySeconds(s.getSpec().getMinReadySeconds())
          .withRevisionHistoryLimit(s.getSpec().getRevisionHistoryLimit())
          .withStrategy(strategy(strategyOf(s)))
          .endSpec();
    } else if (workload instanceof DaemonSet ds) {
      int desired = ds.getStatus() == null || ds.getStatus().getDesiredNumberScheduled() == null ? 0
          : ds.getStatus().getDesiredNumberScheduled();
      b.withNewSpec()
          .withReplicas(desired)
          .withSelector(ds.getSpec().getSelector())
          .withTemplate(ds.getSpec().getTemplate())
          .withMinReadySeconds(ds.getSpec().getMinReadySeconds())
          .withRevisionHistoryLimit(ds.getSpec().getRevisionHistoryLimit())
          .withStrategy(strategy(strategyOf(ds)))
          .endSpec();
    } else {
      throw new IllegalArgumentException("not a StatefulSet or DaemonSet: " + workload.getKind());
    }
    Deployment view = b.build();
    view.setKind(kindOf(workload).name());
    return view;
  }

  /** The owner's rollout settings on any kind of target, as a rollback restores them. */
  public static StrategyRecord strategyOf(HasMetadata workload) {
    StrategyRecord s = new StrategyRecord();
    if (workload instanceof StatefulSet set) {
      StatefulSetUpdateStrategy u = set.getSpec().getUpdateStrategy();
      s.type = u == null || u.getType() == null ? "RollingUpdate" : u.getType();
      if (u != null && u.getRollingUpdate() != null) {
        s.maxUnavailable = u.getRollingUpdate().getMaxUnavailable();
        s.partition = u.getRollingUpdate().getPartition();
      }
    } else if (workload instanceof DaemonSet ds) {
      DaemonSetUpdateStrategy u = ds.getSpec().getUpdateStrategy();
      s.type = u == null || u.getType() == null ? "RollingUpdate" : u.getType();
      if (u != null && u.getRollingUpdate() != null) {
        s.maxSurge = u.getRollingUpdate().getMaxSurge();
        s.maxUnavailable = u.getRollingUpdate().getMaxUnavailable();
      }
    } else if (workload instanceof Deployment d) {
      DeploymentStrategy strategy = d.getSpec().getStrategy();
      s.type = strategy == null || strategy.getType() == null ? "RollingUpdate" : strategy.getType();
      if (strategy != null && strategy.getRollingUpdate() != null) {
        s.maxSurge = strategy.getRollingUpdate().getMaxSurge();
        s.maxUnavailable = strategy.getRollingUpdate().getMaxUnavailable();
      }
      s.progressDeadlineSeconds = d.getSpec().getProgressDeadlineSeconds();
    }
    return s;
  }

  /**
   * The revision key pods of a ControllerRevision carry: a StatefulSet's pods its name, a
   * DaemonSet's its hash (as the two upstream controllers label them).
   */
  static String keyOf(HasMetadata workload, ControllerRevision revision) {
    if (workload instanceof StatefulSet) {
      return revision.getMetadata().getName();
    }
    Map<String, String> labels = revision.getMetadata().getLabels();
    return labels == null ? null : labels.get(REVISION_HASH_LABEL);
  }

  /** The pod template a ControllerRevision restores: its data is {@code {"spec":{"template":{..., "$patch":"replace"}}}}. */
  public static PodTemplateSpec templateOf(ControllerRevision revision) {
    JsonNode template = KubernetesJson.MAPPER.valueToTree(revision.getData()).path("spec").path("template");
    if (!template.isObject()) {
      return null;
    }
    ObjectNode copy = ((ObjectNode) template).deepCopy();
    copy.remove("$patch");
    return KubernetesJson.MAPPER.convertValue(copy, PodTemplateSpec.class);
  }

  /** One ControllerRevision of {@code workload} as its view shows it (without pods). */
  public static ReplicaSet revision(HasMetadata workload, ControllerRevision revision) {
    return replicaSet(workload, deployment(workload), revision, List.of());
  }

  private static ReplicaSet replicaSet(HasMetadata workload, Deployment view, ControllerRevision revision,
      List<Pod> pods) {
    String key = keyOf(workload, revision);
    List<Pod> own = pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null
        && key != null && key.equals(p.getMetadata().getLabels().get(PodTemplates.HASH_LABEL))).toList();
    int ready = (int) own.stream().filter(Readiness::isPodReady).count();
    Map<String, String> labels = new HashMap<>();
    if (key != null) {
      labels.put(PodTemplates.HASH_LABEL, key);
    }
    return new ReplicaSetBuilder()
        .withNewMetadata()
        .withName(revision.getMetadata().getName())
        .withNamespace(revision.getMetadata().getNamespace())
        .withUid(revision.getMetadata().getUid())
        .withCreationTimestamp(revision.getMetadata().getCreationTimestamp())
        .withLabels(labels)
        .withAnnotations(Map.of(DeploymentRevisions.REVISION_ANNOTATION,
            String.valueOf(Objects.requireNonNullElse(revision.getRevision(), 0L))))
        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind(view.getKind())
            .withName(view.getMetadata().getName()).withUid(view.getMetadata().getUid()).withController(true)
            .build())
        .endMetadata()
        .withNewSpec().withReplicas(own.size()).withTemplate(templateOf(revision)).endSpec()
        .withNewStatus().withReplicas(own.size()).withReadyReplicas(ready).withAvailableReplicas(ready).endStatus()
        .build();
  }

  private static boolean controlledBy(HasMetadata owned, HasMetadata owner) {
    return owned.getMetadata().getOwnerReferences() != null && owned.getMetadata().getOwnerReferences().stream()
        .anyMatch(r -> Boolean.TRUE.equals(r.getController()) && owner.getMetadata().getUid() != null
            && owner.getMetadata().getUid().equals(r.getUid()));
  }

  private static DeploymentStrategy strategy(StrategyRecord s) {
    DeploymentStrategyBuilder b = new DeploymentStrategyBuilder().withType(s.type);
    if (s.maxSurge != null || s.maxUnavailable != null) {
      b.withNewRollingUpdate().withMaxSurge(s.maxSurge).withMaxUnavailable(s.maxUnavailable).endRollingUpdate();
    }
    return b.build();
  }
}
