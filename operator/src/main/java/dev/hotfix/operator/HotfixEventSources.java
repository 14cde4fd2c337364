package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixApproval;
import dev.hotfix.api.v1alpha1.HotfixPolicy;
import dev.hotfix.api.v1alpha1.TargetKind;
import dev.hotfix.rollout.CanaryReplicaSet;
import dev.hotfix.rollout.DeploymentRevisions;
import dev.hotfix.rollout.PodTemplates;
import dev.hotfix.rollout.SmokeTestJob;
import dev.hotfix.rollout.WorkloadView;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the reconciler watches and how an event finds its Hotfix: one informer per kind (the three
 * target kinds, ReplicaSets, ControllerRevisions, pods, rival Hotfixes, policies, approvals,
 * smoke-test Jobs), each with the mapper from an object to the Hotfixes it concerns and the index
 * that finds a target's objects; and {@link #observe}, the one read of those caches a handler
 * decides from. Objects are keyed by target ({@code namespace/Kind/name}): a StatefulSet and a
 * Deployment of the same name are different targets.
 */
final class HotfixEventSources {
  private static final String BY_TARGET = "by-target";
  private static final String BY_HOTFIX = "by-hotfix";

  private final IndexerResourceCache<Hotfix> hotfixes;
  private final InformerEventSource<Deployment, Hotfix> deployments;
  private final InformerEventSource<ReplicaSet, Hotfix> replicaSets;
  private final InformerEventSource<StatefulSet, Hotfix> statefulSets;
  private final InformerEventSource<DaemonSet, Hotfix> daemonSets;
  private final InformerEventSource<ControllerRevision, Hotfix> controllerRevisions;
  private final InformerEventSource<Pod, Hotfix> pods;
  private final InformerEventSource<Hotfix, Hotfix> rivals;
  private final InformerEventSource<HotfixPolicy, Hotfix> policies;
  private final InformerEventSource<HotfixApproval, Hotfix> approvals;
  private final InformerEventSource<Job, Hotfix> jobs;

  HotfixEventSources(EventSourceContext<Hotfix> context) {
    hotfixes = context.getPrimaryCache();
    hotfixes.addIndexer(BY_TARGET, HotfixEventSources::targetKey);

    deployments = new InformerEventSource<>(InformerEventSourceConfiguration.from(Deployment.class, Hotfix.class)
        .withName("deployments")
        .withSecondaryToPrimaryMapper(d -> hotfixesTargeting(d.getMetadata().getNamespace(), TargetKind.Deployment,
            d.getMetadata().getName()))
        .build(), context);
    statefulSets = new InformerEventSource<>(InformerEventSourceConfiguration.from(StatefulSet.class, Hotfix.class)
        .withName("statefulsets")
        .withSecondaryToPrimaryMapper(t -> hotfixesTargeting(t.getMetadata().getNamespace(), TargetKind.StatefulSet,
            t.getMetadata().getName()))
        .build(), context);
    daemonSets = new InformerEventSource<>(InformerEventSourceConfiguration.from(DaemonSet.class, Hotfix.class)
        .withName("daemonsets")
        .withSecondaryToPrimaryMapper(t -> hotfixesTargeting(t.getMetadata().getNamespace(), TargetKind.DaemonSet,
            t.getMetadata().getName()))
        .build(), context);
    // the revisions of StatefulSets and DaemonSets: what a rollback of one restores
    controllerRevisions = new InformerEventSource<>(InformerEventSourceConfiguration.from(ControllerRevision.class,
        Hotfix.class)
        .withName("controllerrevisions")
        .withSecondaryToPrimaryMapper(r -> targetOf(r).map(t -> hotfixesTargeting(t)).orElse(Set.of()))
        .build(), context);
    controllerRevisions.addIndexers(Map.of(BY_TARGET, r -> targetOf(r).map(List::of).orElse(List.of())));
    replicaSets = new InformerEventSource<>(InformerEventSourceConfiguration.from(ReplicaSet.class, Hotfix.class)
        .withName("replicasets")
        .withSecondaryToPrimaryMapper(rs -> CanaryReplicaSet.isCanary(rs) ? canaryOwner(rs)
            : hotfixesTargeting(rs.getMetadata().getNamespace(), TargetKind.Deployment, deploymentOf(rs)))
        .build(), context);
    replicaSets.addIndexers(Map.of(BY_TARGET, rs -> keyOf(rs, TargetKind.Deployment, deploymentOf(rs)),
        BY_HOTFIX, rs -> hotfixKeyOf(rs)));
    pods = new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, Hotfix.class)
        .withName("pods")
        .withSecondaryToPrimaryMapper(p -> targetOf(p).map(t -> hotfixesTargeting(t)).orElse(Set.of()))
        .build(), context);
    pods.addIndexers(Map.of(BY_TARGET, p -> targetOf(p).map(List::of).orElse(List.of())));
    // A Hotfix that finishes or starts wakes the others waiting on the same target.
    rivals = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Hotfix.class, Hotfix.class)
            .withName("rivals")
            .withSecondaryToPrimaryMapper(h -> h.getSpec() == null || h.getSpec().target == null ? Set.of()
                : hotfixesTargeting(targetKey(h).get(0)).stream()
                    .filter(id -> !id.getName().equals(h.getMetadata().getName())).collect(Collectors.toSet()))
            .build(), context);
    // Rivals are read from this informer's own cache: its event about a rival that just finished
    // is handled only after its cache holds that change, which the primary cache may not yet.
    rivals.addIndexers(Map.of(BY_TARGET, HotfixEventSources::targetKey));
    // A policy edit or a new approval re-evaluates the waiting Hotfixes at once.
    policies = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(HotfixPolicy.class, Hotfix.class)
        .withName("policies")
        .withSecondaryToPrimaryMapper(p -> HotfixPolicy.DEFAULT_NAME.equals(p.getMetadata().getName())
            ? waitingIn(p.getMetadata().getNamespace()) : Set.of())
        .build(), context);
    approvals = new InformerEventSource<>(InformerEventSourceConfiguration.from(HotfixApproval.class, Hotfix.class)
        .withName("approvals")
        .withSecondaryToPrimaryMapper(a -> a.getSpec() == null || a.getSpec().hotfix == null ? Set.of()
            : Set.of(new ResourceID(a.getSpec().hotfix, a.getMetadata().getNamespace())))
        .build(), context);
    approvals.addIndexers(Map.of(BY_HOTFIX, a -> a.getSpec() == null || a.getSpec().hotfix == null ? List.of()
        : List.of(key(a.getMetadata().getNamespace(), a.getSpec().hotfix))));

    // A job check's Job finishing brings its Hotfix back (named by the Job's label; only labelled Jobs are cached).
    jobs = new InformerEventSource<>(InformerEventSourceConfiguration.from(Job.class,
        Hotfix.class)
        .withName("smoke-test-jobs")
        .withLabelSelector(SmokeTestJob.CHECK_LABEL)
        .withSecondaryToPrimaryMapper(j -> j.getMetadata().getLabels() == null
            || j.getMetadata().getLabels().get(SmokeTestJob.HOTFIX_LABEL) == null ? Set.of()
            : Set.of(new ResourceID(j.getMetadata().getLabels().get(SmokeTestJob.HOTFIX_LABEL),
                j.getMetadata().getNamespace())))
        .build(), context);
  }

  /** Every event source, these and {@code more} (the measurement answers), for java-operator-sdk. */
  List<EventSource<?, Hotfix>> all(EventSource<?, Hotfix> more) {
    return List.of(deployments, replicaSets, statefulSets, daemonSets, controllerRevisions, pods, rivals, policies,
        approvals, jobs, more);
  }

  /** The informers of the three target kinds: where a write primes the cache. */
  Map<TargetKind, InformerEventSource<? extends HasMetadata, ?>> targets() {
    return Map.of(TargetKind.Deployment, deployments, TargetKind.StatefulSet, statefulSets, TargetKind.DaemonSet,
        daemonSets);
  }

  InformerEventSource<ReplicaSet, Hotfix> replicaSets() {
    return replicaSets;
  }

  InformerEventSource<Job, Hotfix> jobs() {
    return jobs;
  }

  /** The approvals naming a Hotfix, from their informer, whose events bring each new one. */
  List<HotfixApproval> approvalsFor(String namespace, String hotfix) {
    return approvals.byIndex(BY_HOTFIX, key(namespace, hotfix));
  }

  /** One read of everything a handler may look at about {@code hotfix}, from the caches, at {@code now}. */
  Observation observe(Hotfix hotfix, Instant now) {
    String namespace = hotfix.getMetadata().getNamespace();
    TargetKind kind = TargetKind.of(hotfix.getSpec().target);
    String target = hotfix.getSpec().target.name;
    String key = key(namespace, kind, target);
    ResourceID id = new ResourceID(target, namespace);
    List<Pod> targetPods = pods.byIndex(BY_TARGET, key);
    Optional<? extends HasMetadata> workload = switch (kind) {
      case Deployment -> deployments.get(id);
      case StatefulSet -> statefulSets.get(id);
      case DaemonSet -> daemonSets.get(id);
    };
    Optional<DeploymentRevisions> revisions = workload.map(w -> WorkloadView.revisions(w,
        replicaSets.byIndex(BY_TARGET, key), controllerRevisions.byIndex(BY_TARGET, key), targetPods));
    List<Hotfix> others = rivals.byIndex(BY_TARGET, key).stream()
        .filter(h -> !Objects.equals(h.getMetadata().getUid(), hotfix.getMetadata().getUid())).toList();
    Optional<ReplicaSet> canary = replicaSets.byIndex(BY_HOTFIX, key(namespace, hotfix.getMetadata().getName()))
        .stream().filter(rs -> ownedBy(rs, hotfix) && rs.getMetadata().getDeletionTimestamp() == null).findFirst();
    return new Observation(hotfix, EffectiveSpec.of(hotfix.getSpec()), revisions,
        workload.map(w -> WorkloadView.pods(w, targetPods)).orElse(targetPods), others, now, canary);
  }

  /** The Hotfixes of a namespace that the policy still holds or may hold (not yet rolling out). */
  private Set<ResourceID> waitingIn(String namespace) {
    if (hotfixes == null) {
      return Set.of();
    }
    return hotfixes.list(namespace)
        .filter(h -> PendingHandler.phaseOf(h).isDeciding())
        .map(ResourceID::fromResource).collect(Collectors.toSet());
  }

  private Set<ResourceID> hotfixesTargeting(String namespace, TargetKind kind, String name) {
    return name == null ? Set.of() : hotfixesTargeting(key(namespace, kind, name));
  }

  private Set<ResourceID> hotfixesTargeting(String targetKey) {
    if (hotfixes == null) {
      return Set.of();
    }
    return hotfixes.byIndex(BY_TARGET, targetKey).stream().map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  /** The Hotfix whose canary a ReplicaSet is. */
  private static Set<ResourceID> canaryOwner(ReplicaSet rs) {
    String hotfix = controller(rs, "Hotfix");
    return hotfix == null ? Set.of() : Set.of(new ResourceID(hotfix, rs.getMetadata().getNamespace()));
  }

  /** Whether the canary ReplicaSet is this very Hotfix's (not an earlier one's of the same name). */
  private static boolean ownedBy(ReplicaSet rs, Hotfix hotfix) {
    return rs.getMetadata().getOwnerReferences() != null && rs.getMetadata().getOwnerReferences().stream()
        .anyMatch(r -> Boolean.TRUE.equals(r.getController()) && r.getUid().equals(hotfix.getMetadata().getUid()));
  }

  /** The Deployment controlling a ReplicaSet, by its controller owner reference. */
  static String deploymentOf(ReplicaSet rs) {
    return controller(rs, "Deployment");
  }

  /** The Deployment a pod belongs to: its ReplicaSet's name less the pod-template-hash suffix. */
  static String deploymentOf(Pod pod) {
    String rs = controller(pod, "ReplicaSet");
    String hash = pod.getMetadata().getLabels() == null ? null
        : pod.getMetadata().getLabels().get(PodTemplates.HASH_LABEL);
    if (rs == null || hash == null || !rs.endsWith("-" + hash)) {
      return null;
    }
    return rs.substring(0, rs.length() - hash.length() - 1);
  }

  /**
   * The key of the target a pod or ControllerRevision belongs to: a Deployment's (through its
   * ReplicaSet), or the StatefulSet's or DaemonSet's that controls it.
   */
  static Optional<String> targetOf(HasMetadata object) {
    String namespace = object.getMetadata().getNamespace();
    if (object instanceof Pod pod) {
      String deployment = deploymentOf(pod);
      if (deployment != null) {
        return Optional.of(key(namespace, TargetKind.Deployment, deployment));
      }
    }
    for (TargetKind kind : List.of(TargetKind.StatefulSet, TargetKind.DaemonSet)) {
      String name = controller(object, kind.name());
      if (name != null) {
        return Optional.of(key(namespace, kind, name));
      }
    }
    return Optional.empty();
  }

  private static String controller(HasMetadata object, String kind) {
    List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
    return refs == null ? null : refs.stream()
        .filter(r -> Boolean.TRUE.equals(r.getController()) && kind.equals(r.getKind()))
        .map(OwnerReference::getName).findFirst().orElse(null);
  }

  private static List<String> targetKey(Hotfix h) {
    return h.getSpec() == null || h.getSpec().target == null ? List.of()
        : List.of(key(h.getMetadata().getNamespace(), TargetKind.of(h.getSpec().target), h.getSpec().target.name));
  }

  /** The key of the Hotfix controlling an object (its canary ReplicaSet). */
  private static List<String> hotfixKeyOf(HasMetadata object) {
    String hotfix = controller(object, "Hotfix");
    return hotfix == null ? List.of() : List.of(key(object.getMetadata().getNamespace(), hotfix));
  }

  private static List<String> keyOf(HasMetadata object, TargetKind kind, String name) {
    return name == null ? List.of() : List.of(key(object.getMetadata().getNamespace(), kind, name));
  }

  /** A target's key: a StatefulSet and a Deployment of the same name are different targets. */
  private static String key(String namespace, TargetKind kind, String name) {
    return namespace + "/" + kind + "/" + name;
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
