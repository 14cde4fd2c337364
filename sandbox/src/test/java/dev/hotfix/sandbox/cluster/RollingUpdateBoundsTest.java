package dev.hotfix.sandbox.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotfix.sandbox.Informers;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rolling updates never break their bounds at any observed step, like upstream's integration
 * check {@code WaitForDeploymentCompleteAndCheckRolling}: every ReplicaSet change a watch delivers
 * during the rollout is recorded, and at each one the ReplicaSets' replicas sum to at most
 * replicas+maxSurge (upstream's "total pods created"); every pod change is recorded too, and at
 * each one at least replicas-maxUnavailable pods are available (stricter than upstream's check,
 * which reads the Deployment's status). Pods themselves may briefly exceed the surge, as upstream:
 * a ReplicaSet told to scale down deletes its pod a moment later, while the new one already grows.
 */
class RollingUpdateBoundsTest {

  private static final Duration ROLLOUT = Duration.ofSeconds(30);
  @RegisterExtension static final SandboxFixture sandbox = new SandboxFixture();

  static Stream<Arguments> strategies() {
    return Stream.of(
        Arguments.of("surge-one", 4, 1, 1, 1, 1),
        Arguments.of("percent", 4, "25%", "25%", 1, 1),
        Arguments.of("no-surge", 3, 0, 1, 0, 1),
        Arguments.of("no-unavailable", 3, 2, 0, 2, 0),
        // "both 0" is refused by the API server, as upstream; RolloutArithmeticTest covers the controller's rule.
        Arguments.of("percent-rounding", 10, "15%", "15%", 2, 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("strategies")
  void rolloutStaysWithinSurgeAndUnavailability(
      String name, int replicas, Object maxSurge, Object maxUnavailable, int surge, int unavailable) {
    sandbox.create(SandboxFixture.rolling(SandboxFixture.deployment(name, "app:1", replicas), maxSurge, maxUnavailable).build());
    await().atMost(ROLLOUT).until(() -> sandbox.rolledOut(name));

    try (PodCountRecorder recorder = new PodCountRecorder(sandbox, name)) {
      sandbox.setImage(name, "app:2");
      await().atMost(ROLLOUT).until(() -> imageRolledOut(name, "app:2"));

      assertThat(recorder.observations).hasSizeGreaterThan(replicas);
      // upstream's bound on the surge is on the ReplicaSets' replicas ("total pods created"): a pod
      // its ReplicaSet was just told to give up may still be running beside a new one
      assertThat(recorder.created).as("sum of the ReplicaSets' spec.replicas at each change")
          .isNotEmpty().allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(replicas + surge));
      assertThat(recorder.observations)
          .allSatisfy(o -> assertThat(o.available()).as("available at %s", o)
              .isGreaterThanOrEqualTo(replicas - unavailable));
      // the surge was used (how far depends on how old deletions and new creations interleave),
      // so the test tells a bounded rollout from one that never surges
      int mostPods = recorder.observations.stream().mapToInt(PodCount::pods).max().orElse(0);
      if (surge > 0) {
        assertThat(mostPods).isGreaterThan(replicas);
      } else {
        assertThat(mostPods).isEqualTo(replicas);
      }
    }
  }

  @Test
  void crashingNewVersionWithMaxUnavailableZeroNeverCostsAvailability() {
    String name = "guarded";
    int replicas = 3;
    sandbox.create(SandboxFixture.rolling(SandboxFixture.deployment(name, "app:1", replicas), 1, 0).build());
    await().atMost(ROLLOUT).until(() -> sandbox.rolledOut(name));

    try (PodCountRecorder recorder = new PodCountRecorder(sandbox, name)) {
      sandbox.setImage(name, "app:2-crashloop");
      // the surge pod crashes again and again; the rollout can never take an old pod away
      await().atMost(ROLLOUT).until(() -> recorder.observations.stream()
          .anyMatch(o -> o.maxRestarts() >= 2));

      assertThat(recorder.observations)
          .allSatisfy(o -> {
            assertThat(o.pods()).isLessThanOrEqualTo(replicas + 1);
            assertThat(o.available()).isGreaterThanOrEqualTo(replicas);
          });
      assertThat(sandbox.get(name).getStatus().getAvailableReplicas()).isEqualTo(replicas);
      assertThat(sandbox.get(name).getStatus().getUpdatedReplicas()).isEqualTo(1);
    }
  }

  @Test
  void recreateRemovesEveryOldPodBeforeStartingNewOnes() {
    String name = "batch";
    sandbox.create(
        SandboxFixture.deployment(name, "app:1", 3)
            .editSpec().withNewStrategy().withType("Recreate").endStrategy().endSpec()
            .build());
    await().atMost(ROLLOUT).until(() -> sandbox.rolledOut(name));

    try (PodCountRecorder recorder = new PodCountRecorder(sandbox, name)) {
      sandbox.setImage(name, "app:2");
      await().atMost(ROLLOUT).until(() -> imageRolledOut(name, "app:2"));

      // Recreate waits for the old pods to be gone, terminating ones included
      assertThat(recorder.observations).noneMatch(o -> o.oldPods() > 0 && o.total() > o.oldPods());
      assertThat(recorder.observations).anyMatch(o -> o.total() == 0);
    }
  }

  private static boolean imageRolledOut(String name, String image) {
    return sandbox.rolledOut(name)
        && sandbox.pods(name).stream()
            .allMatch(p -> image.equals(p.getSpec().getContainers().get(0).getImage()));
  }

  /**
   * One observation: active pods of the Deployment (not terminating: upstream's surge bound counts
   * the ReplicaSets' replicas, which leave terminating pods out), available ones among them, pods
   * of the first template (terminating ones included), and terminating pods.
   */
  record PodCount(int pods, int available, int oldPods, int maxRestarts, int terminating) {
    /** Every pod that exists, terminating or not. */
    int total() {
      return pods + terminating;
    }
  }

  /**
   * Records a {@link PodCount} at every pod event a watch of the Deployment's pods delivers, from
   * the events' own objects: the informer's live store may already hold later versions (a torn
   * snapshot that hides short states).
   */
  static final class PodCountRecorder implements AutoCloseable {
    final List<PodCount> observations = new CopyOnWriteArrayList<>();
    /** The sum of the Deployment's ReplicaSets' spec.replicas after each ReplicaSet event. */
    final List<Integer> created = new CopyOnWriteArrayList<>();
    private final Map<String, Pod> pods = new HashMap<>();
    private final Map<String, Integer> replicaSets = new HashMap<>();
    private final SharedIndexInformer<Pod> informer;
    private final SharedIndexInformer<ReplicaSet> replicaSetInformer;
    private final String oldImage;

    PodCountRecorder(SandboxFixture sandbox, String app) {
      oldImage = sandbox.pods(app).get(0).getSpec().getContainers().get(0).getImage();
      // the pods before the rollout, so that the informer's first adds are not read as a half-empty Deployment
      sandbox.pods(app).forEach(p -> pods.put(p.getMetadata().getName(), p));
      informer = sandbox.client.pods().inNamespace(SandboxFixture.NS).withLabel("app", app).runnableInformer(0);
      informer.addEventHandler(Informers.handler(
          pod -> record(pod.getMetadata().getName(), pod),
          pod -> record(pod.getMetadata().getName(), null)));
      informer.start().toCompletableFuture().join();
      replicaSetInformer = sandbox.client.apps().replicaSets().inNamespace(SandboxFixture.NS).withLabel("app", app)
          .runnableInformer(0);
      replicaSetInformer.addEventHandler(Informers.handler(
          rs -> recordReplicas(rs.getMetadata().getName(), rs.getSpec().getReplicas()),
          rs -> recordReplicas(rs.getMetadata().getName(), 0)));
      replicaSetInformer.start().toCompletableFuture().join();
    }

    private synchronized void recordReplicas(String name, Integer replicas) {
      replicaSets.put(name, replicas == null ? 1 : replicas);
      created.add(replicaSets.values().stream().mapToInt(Integer::intValue).sum());
    }

    private synchronized void record(String name, Pod now) {
      if (now == null) {
        pods.remove(name);
      } else {
        pods.put(name, now);
      }
      List<Pod> active = pods.values().stream().filter(Pods::isActive).toList();
      observations.add(
          new PodCount(
              active.size(),
              (int) active.stream().filter(Readiness::isPodReady).count(),
              (int) pods.values().stream()
                  .filter(p -> oldImage.equals(p.getSpec().getContainers().get(0).getImage())).count(),
              pods.values().stream().mapToInt(Pods::restartCount).max().orElse(0),
              pods.size() - active.size()));
    }

    @Override
    public void close() {
      informer.stop();
      replicaSetInformer.stop();
    }
  }
}
