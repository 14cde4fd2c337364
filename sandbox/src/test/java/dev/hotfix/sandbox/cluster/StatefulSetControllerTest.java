package dev.hotfix.sandbox.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The StatefulSet controller against upstream's rules (pkg/controller/statefulset): ordered
 * creation, reverse-ordinal rolling updates within maxUnavailable, partitions, ControllerRevision
 * history (re-numbered on rollback, truncated to revisionHistoryLimit) and the status
 * {@code kubectl rollout status} reads.
 */
class StatefulSetControllerTest {

  private static final Duration ROLLOUT = Duration.ofSeconds(40);
  @RegisterExtension static final SandboxFixture sandbox = new SandboxFixture();

  static StatefulSetBuilder statefulSet(String name, String image, int replicas) {
    return new StatefulSetBuilder()
        .withNewMetadata().withName(name).withNamespace(SandboxFixture.NS).endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withServiceName(name)
        .withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate()
        .withNewMetadata().addToLabels("app", name).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage(image).endContainer().endSpec()
        .endTemplate()
        .endSpec();
  }

  private static StatefulSet get(String name) {
    return sandbox.client.apps().statefulSets().inNamespace(SandboxFixture.NS).withName(name).get();
  }

  /** Done as {@code kubectl rollout status} judges a StatefulSet without a partition. */
  private static boolean rolledOut(String name) {
    StatefulSet set = get(name);
    var s = set.getStatus();
    return s != null && s.getObservedGeneration() != null
        && s.getObservedGeneration() >= set.getMetadata().getGeneration()
        && s.getReadyReplicas() != null && s.getReadyReplicas().equals(set.getSpec().getReplicas())
        && s.getUpdateRevision() != null && s.getUpdateRevision().equals(s.getCurrentRevision());
  }

  private static List<ControllerRevision> revisions(String name) {
    return sandbox.client.apps().controllerRevisions().inNamespace(SandboxFixture.NS).withLabel("app", name).list()
        .getItems().stream().sorted(Comparator.comparingLong(ControllerRevision::getRevision)).toList();
  }

  private static void setImage(String name, String image) {
    sandbox.client.apps().statefulSets().inNamespace(SandboxFixture.NS).withName(name)
        .edit(s -> new StatefulSetBuilder(s).editSpec().editTemplate().editSpec().editFirstContainer()
            .withImage(image).endContainer().endSpec().endTemplate().endSpec().build());
  }

  /** Pod readiness by name after every pod event, and the order of pod creations and deletion marks. */
  private static final class PodWatch implements AutoCloseable {
    final Map<String, Boolean> ready = new ConcurrentHashMap<>();
    final List<String> created = new CopyOnWriteArrayList<>();
    final List<String> deleted = new CopyOnWriteArrayList<>();
    /** At each creation, the readiness of the pods that existed. */
    final List<Map<String, Boolean>> atCreation = new CopyOnWriteArrayList<>();
    /** Pods not ready (or missing among the expected names) after each event. */
    final List<Integer> unavailable = new CopyOnWriteArrayList<>();
    private final SharedIndexInformer<Pod> informer;
    /** Set once the informer has listed the pods that already existed (their adds are no transitions). */
    private volatile boolean listed;

    PodWatch(String name, int replicas) {
      informer = sandbox.client.pods().inNamespace(SandboxFixture.NS).withLabel("app", name).inform(
          new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
              atCreation.add(Map.copyOf(ready));
              created.add(pod.getMetadata().getName());
              record(pod);
            }

            @Override
            public void onUpdate(Pod before, Pod after) {
              if (before.getMetadata().getDeletionTimestamp() == null && after.getMetadata().getDeletionTimestamp() != null) {
                deleted.add(after.getMetadata().getName());
              }
              record(after);
            }

            @Override
            public void onDelete(Pod pod, boolean unknown) {
              ready.remove(pod.getMetadata().getName());
              count(name, replicas);
            }

            private void record(Pod pod) {
              ready.put(pod.getMetadata().getName(),
                  Readiness.isPodReady(pod) && pod.getMetadata().getDeletionTimestamp() == null);
              count(name, replicas);
            }
          });
      listed = true;
    }

    private void count(String name, int replicas) {
      if (!listed) {
        return;
      }
      int n = 0;
      for (int i = 0; i < replicas; i++) {
        if (!ready.getOrDefault(name + "-" + i, false)) {
          n++;
        }
      }
      unavailable.add(n);
    }

    @Override
    public void close() {
      informer.close();
    }
  }

  @Test
  void podsAreCreatedInOrdinalOrderEachAfterItsPredecessorIsReady() {
    try (PodWatch watch = new PodWatch("ordered", 3)) {
      sandbox.client.apps().statefulSets().resource(statefulSet("ordered", "app:1", 3).build()).create();
      await().atMost(ROLLOUT).until(() -> rolledOut("ordered"));

      assertThat(watch.created).containsExactly("ordered-0", "ordered-1", "ordered-2");
      assertThat(watch.atCreation.get(1)).containsEntry("ordered-0", true);
      assertThat(watch.atCreation.get(2)).containsEntry("ordered-0", true).containsEntry("ordered-1", true);
    }
    Pod pod = sandbox.client.pods().inNamespace(SandboxFixture.NS).withName("ordered-1").get();
    StatefulSet set = get("ordered");
    assertThat(pod.getMetadata().getLabels())
        .containsEntry("controller-revision-hash", set.getStatus().getUpdateRevision())
        .containsEntry("statefulset.kubernetes.io/pod-name", "ordered-1")
        .containsEntry("apps.kubernetes.io/pod-index", "1");
    assertThat(pod.getSpec().getHostname()).isEqualTo("ordered-1");
    assertThat(set.getStatus().getCurrentReplicas()).isEqualTo(3);
    assertThat(set.getStatus().getUpdatedReplicas()).isEqualTo(3);
    assertThat(set.getStatus().getAvailableReplicas()).isEqualTo(3);
    List<ControllerRevision> revisions = revisions("ordered");
    assertThat(revisions).singleElement().satisfies(r -> {
      assertThat(r.getRevision()).isEqualTo(1L);
      assertThat(r.getMetadata().getName()).isEqualTo(set.getStatus().getUpdateRevision())
          .startsWith("ordered-");
      assertThat(ControllerHistory.templateOf(r).getSpec().getContainers().get(0).getImage()).isEqualTo("app:1");
    });
  }

  @Test
  void aRollingUpdateReplacesPodsFromTheHighestOrdinalOneUnavailableAtATime() {
    sandbox.client.apps().statefulSets().resource(statefulSet("rolling", "app:1", 3).build()).create();
    await().atMost(ROLLOUT).until(() -> rolledOut("rolling"));
    String first = get("rolling").getStatus().getCurrentRevision();

    try (PodWatch watch = new PodWatch("rolling", 3)) {
      setImage("rolling", "app:2");
      await().atMost(ROLLOUT).until(() -> rolledOut("rolling") && !first.equals(get("rolling").getStatus()
          .getCurrentRevision()));

      assertThat(watch.deleted).containsExactly("rolling-2", "rolling-1", "rolling-0");
      assertThat(watch.unavailable).as("not-ready pods after each pod event").isNotEmpty()
          .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(1));
    }
    StatefulSet set = get("rolling");
    assertThat(set.getStatus().getUpdatedReplicas()).isEqualTo(3);
    assertThat(revisions("rolling")).extracting(ControllerRevision::getRevision).containsExactly(1L, 2L);
    assertThat(sandbox.pods("rolling")).allSatisfy(p -> {
      assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo("app:2");
      assertThat(p.getMetadata().getLabels()).containsEntry("controller-revision-hash", set.getStatus().getUpdateRevision());
    });
  }

  @Test
  void aPartitionUpdatesOnlyTheOrdinalsAtOrAboveIt() {
    sandbox.client.apps().statefulSets().resource(statefulSet("canary", "app:1", 3).editSpec()
        .withNewUpdateStrategy().withType("RollingUpdate").withNewRollingUpdate().withPartition(2).endRollingUpdate()
        .endUpdateStrategy().endSpec().build()).create();
    await().atMost(ROLLOUT).until(() -> rolledOut("canary"));
    String first = get("canary").getStatus().getCurrentRevision();

    setImage("canary", "app:2");

    await().atMost(ROLLOUT).untilAsserted(() -> {
      StatefulSet set = get("canary");
      assertThat(set.getStatus().getUpdatedReplicas()).isEqualTo(1);
      assertThat(set.getStatus().getReadyReplicas()).isEqualTo(3);
    });
    StatefulSet set = get("canary");
    assertThat(set.getStatus().getCurrentRevision()).as("a partitioned rollout keeps its current revision")
        .isEqualTo(first);
    assertThat(set.getStatus().getCurrentReplicas()).isEqualTo(2);
    Map<String, String> images = new java.util.TreeMap<>();
    sandbox.pods("canary").forEach(p -> images.put(p.getMetadata().getName(), p.getSpec().getContainers().get(0).getImage()));
    assertThat(images).containsExactly(Map.entry("canary-0", "app:1"), Map.entry("canary-1", "app:1"),
        Map.entry("canary-2", "app:2"));
  }

  @Test
  void goingBackToAnEarlierTemplateRenumbersItsRevisionAndHistoryIsTruncated() {
    sandbox.client.apps().statefulSets().resource(statefulSet("history", "app:1", 1).editSpec()
        .withRevisionHistoryLimit(1).endSpec().build()).create();
    await().atMost(ROLLOUT).until(() -> rolledOut("history"));
    String v1 = get("history").getStatus().getUpdateRevision();
    setImage("history", "app:2");
    await().atMost(ROLLOUT).until(() -> rolledOut("history") && !v1.equals(get("history").getStatus().getUpdateRevision()));

    setImage("history", "app:1");
    await().atMost(ROLLOUT).until(() -> rolledOut("history") && v1.equals(get("history").getStatus().getUpdateRevision()));

    assertThat(revisions("history")).extracting(r -> r.getMetadata().getName(), ControllerRevision::getRevision)
        .contains(org.assertj.core.groups.Tuple.tuple(v1, 3L));
    setImage("history", "app:3");
    await().atMost(ROLLOUT).until(() -> rolledOut("history") && !v1.equals(get("history").getStatus().getUpdateRevision()));
    // live (the current one) plus revisionHistoryLimit older ones
    await().atMost(ROLLOUT).untilAsserted(() -> assertThat(revisions("history"))
        .extracting(ControllerRevision::getRevision).containsExactly(3L, 4L));
  }

  @Test
  void aCrashingTemplateStopsTheUpdateAtTheFirstReplacedPod() {
    sandbox.client.apps().statefulSets().resource(statefulSet("stuck", "app:1", 3).build()).create();
    await().atMost(ROLLOUT).until(() -> rolledOut("stuck"));

    try (PodWatch watch = new PodWatch("stuck", 3)) {
      setImage("stuck", "app:2-crashloop");
      await().atMost(ROLLOUT).until(() -> sandbox.pods("stuck").stream().anyMatch(p -> Pods.restartCount(p) >= 2));

      assertThat(watch.deleted).containsExactly("stuck-2");
      StatefulSet set = get("stuck");
      assertThat(set.getStatus().getUpdatedReplicas()).isEqualTo(1);
      assertThat(set.getStatus().getReadyReplicas()).isEqualTo(2);
      assertThat(set.getStatus().getCurrentRevision()).isNotEqualTo(set.getStatus().getUpdateRevision());
    }
  }

  @Test
  void scalingDownRemovesTheHighestOrdinalsFirst() {
    sandbox.client.apps().statefulSets().resource(statefulSet("shrink", "app:1", 3).build()).create();
    await().atMost(ROLLOUT).until(() -> rolledOut("shrink"));

    try (PodWatch watch = new PodWatch("shrink", 1)) {
      sandbox.client.apps().statefulSets().inNamespace(SandboxFixture.NS).withName("shrink").scale(1);
      await().atMost(ROLLOUT).until(() -> sandbox.pods("shrink").size() == 1);
      assertThat(watch.deleted).containsExactly("shrink-2", "shrink-1");
    }
    assertThat(sandbox.pods("shrink")).extracting(p -> p.getMetadata().getName()).containsExactly("shrink-0");
  }
}
