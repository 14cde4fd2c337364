package dev.hotfix.bench;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.health.Measurement;
import dev.hotfix.health.RevisionUnderTest;
import dev.hotfix.health.RolloutProgress;
import dev.hotfix.rollout.CanaryReplicaSet;
import dev.hotfix.rollout.PodTemplates;
import dev.hotfix.sandbox.Informers;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The benchmark's eyes: informers on the namespace's Deployments, pods and Hotfixes, timing the
 * moments of tracked trials ({@link FaultMoments}) as their watch events arrive, and answering
 * "is it ready / terminal yet" from the caches instead of polling the API server (which would
 * load the very server whose answers are being timed).
 */
final class ClusterWatch implements AutoCloseable {
  private static final RolloutProgress ROLLOUT = new RolloutProgress();

  private final SharedIndexInformer<Deployment> deployments;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Hotfix> hotfixes;
  private final Map<String, FaultMoments> tracked = new ConcurrentHashMap<>();
  private final String namespace;

  ClusterWatch(KubernetesClient client, String namespace, boolean watchPods) {
    this.namespace = namespace;
    deployments = client.apps().deployments().inNamespace(namespace)
        .inform(Informers.onChange(this::deploymentChanged));
    pods = watchPods ? client.pods().inNamespace(namespace).inform(Informers.onChange(this::podChanged)) : null;
    hotfixes = client.resources(Hotfix.class).inNamespace(namespace).inform();
  }

  /** Starts timing Deployment {@code name}'s trial, whose fault is the image {@code badImage}. */
  FaultMoments track(String name, String badImage) {
    FaultMoments m = new FaultMoments(badImage);
    tracked.put(name, m);
    return m;
  }

  void untrack(String name) {
    tracked.remove(name);
  }

  /** The Deployment is rolled out as {@code kubectl rollout status} judges it. */
  boolean rolledOut(String name) {
    Deployment d = deployments.getStore().getByKey(key(name));
    return d != null && rolledOut(d);
  }

  /** The Hotfix's phase, as last seen. */
  Optional<Phase> phase(String hotfix) {
    Hotfix h = hotfixes.getStore().getByKey(key(hotfix));
    return h == null || h.getStatus() == null ? Optional.empty() : Optional.ofNullable(h.getStatus().phase);
  }

  Optional<Hotfix> hotfix(String name) {
    return Optional.ofNullable(hotfixes.getStore().getByKey(key(name)));
  }

  /** How many of the Hotfixes seen are in a phase satisfying {@code test}. */
  long countHotfixes(java.util.function.Predicate<Phase> test) {
    return hotfixes.getStore().list().stream()
        .filter(h -> h.getStatus() != null && h.getStatus().phase != null && test.test(h.getStatus().phase)).count();
  }

  /** How many Deployments seen are rolled out. */
  long countRolledOut() {
    return deployments.getStore().list().stream().filter(ClusterWatch::rolledOut).count();
  }

  private void deploymentChanged(Deployment d) {
    FaultMoments m = tracked.get(d.getMetadata().getName());
    if (m == null) {
      return;
    }
    Instant now = Instant.now();
    boolean bad = PodTemplates.images(d.getSpec().getTemplate()).containsValue(m.badImage);
    if (bad && m.applied == null) {
      m.applied = now;
    } else if (!bad && m.applied != null && m.patchedBack == null) {
      m.patchedBack = now;
    }
    if (m.patchedBack != null && m.restored == null && rolledOut(d)) {
      m.restored = now;
    }
  }

  private void podChanged(Pod p) {
    String deployment = p.getMetadata().getLabels() == null ? null
        : p.getMetadata().getLabels().get(Workloads.APP_LABEL);
    FaultMoments m = deployment == null ? null : tracked.get(deployment);
    if (m == null || p.getSpec().getContainers().stream().noneMatch(c -> m.badImage.equals(c.getImage()))) {
      return;
    }
    if (m.badPods.add(p.getMetadata().getName())) {
      m.badPodsSeen.add(p.getMetadata().getName() + " of " + p.getMetadata().getOwnerReferences().stream()
          .map(r -> r.getName()).findFirst().orElse("?") + " created " + p.getMetadata().getCreationTimestamp());
    }
    if (m.firstCrash == null && crashed(p)) {
      m.firstCrash = Instant.now();
    }
    boolean canary = p.getMetadata().getLabels().containsKey(CanaryReplicaSet.LABEL);
    if (canary && p.getMetadata().getDeletionTimestamp() != null && m.applied == null && m.patchedBack == null) {
      // a failed canary's removal is its whole rollback: the Deployment never ran the bad image
      Instant now = Instant.now();
      m.patchedBack = now;
      m.restored = now;
    }
  }

  /** A container of the pod has exited, restarted or is backing off: the crash is visible on the API. */
  private static boolean crashed(Pod p) {
    List<ContainerStatus> statuses = p.getStatus() == null || p.getStatus().getContainerStatuses() == null ? List.of()
        : p.getStatus().getContainerStatuses();
    return statuses.stream().anyMatch(cs -> (cs.getRestartCount() != null && cs.getRestartCount() > 0)
        || (cs.getState() != null && cs.getState().getTerminated() != null)
        || (cs.getState() != null && cs.getState().getWaiting() != null
            && "CrashLoopBackOff".equals(cs.getState().getWaiting().getReason())));
  }

  private static boolean rolledOut(Deployment d) {
    Instant now = Instant.now();
    return ROLLOUT.measure(RevisionUnderTest.rolloutOf(d, now, Duration.ofDays(1), now))
        .result() == Measurement.Result.PASS;
  }

  private String key(String name) {
    return namespace + "/" + name;
  }

  @Override
  public void close() {
    deployments.close();
    if (pods != null) {
      pods.close();
    }
    hotfixes.close();
  }
}
