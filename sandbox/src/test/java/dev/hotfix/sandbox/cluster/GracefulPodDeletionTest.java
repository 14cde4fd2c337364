package dev.hotfix.sandbox.cluster;

import io.fabric8.kubernetes.client.readiness.Readiness;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotfix.testing.Kubectl;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Graceful pod deletion as on a real cluster: a deleted pod is Terminating for its grace period
 * while its containers stop, the ReplicaSet controller replaces it at once and stops counting it,
 * the kubelet deletes it once its containers have stopped (killing them when the grace period
 * ends), and a ReplicaSet deleted in the foreground waits for its terminating pods. Seen failing
 * with deletion immediate again (no deletionTimestamp, no Terminating row, the ReplicaSet gone at
 * once), with the ReplicaSet controller counting terminating pods (status.replicas 3, no
 * replacement until the old pod was gone) and with the grace not shortened by a second delete.
 */
class GracefulPodDeletionTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  @RegisterExtension static final SandboxFixture sandbox = new SandboxFixture();
  @TempDir static Path dir;

  @Test
  void kubectlShowsTheDeletedPodTerminatingWhileItsReplacementStarts() {
    sandbox.create(withGrace(SandboxFixture.deployment("drain", "shop:1.0-slowstop", 2), 30).build());
    await().atMost(WAIT).until(() -> sandbox.rolledOut("drain"));
    Pod victim = sandbox.pods("drain").get(0);
    String name = victim.getMetadata().getName();
    Kubectl kubectl = new Kubectl(sandbox.server.writeKubeconfig(dir.resolve("kubeconfig")));

    kubectl.run("delete", "pod", name, "-n", SandboxFixture.NS, "--wait=false").assertOk();

    Pod marked = pod(name);
    assertThat(marked.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(30L);
    assertThat(Instant.parse(marked.getMetadata().getDeletionTimestamp()))
        .isAfter(Instant.now().plusSeconds(20));
    assertThat(kubectl.run("get", "pods", "-n", SandboxFixture.NS).assertOk().stdout())
        .containsPattern(name + "\\s+\\d/1\\s+Terminating");
    // replaced at once: two active pods ready beside the terminating one, which no count includes
    await().atMost(WAIT).untilAsserted(() -> {
      List<Pod> pods = sandbox.pods("drain");
      assertThat(pods).hasSize(3);
      assertThat(pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).filter(Readiness::isPodReady))
          .hasSize(2);
      ReplicaSet rs = sandbox.replicaSets("drain").get(0);
      assertThat(rs.getStatus().getReplicas()).isEqualTo(2);
      assertThat(rs.getStatus().getReadyReplicas()).isEqualTo(2);
      assertThat(sandbox.rolledOut("drain")).isTrue();
    });
    assertThat(Readiness.isPodReady(pod(name))).as("a terminating pod is not ready").isFalse();
    assertThat(pod(name)).as("a slowstop pod outlives its SIGTERM").isNotNull();

    kubectl.run("delete", "pod", name, "-n", SandboxFixture.NS, "--grace-period=1", "--wait=false").assertOk();

    await().atMost(WAIT).until(() -> pod(name) == null);
  }

  @Test
  void theKubeletStopsTheContainersAndDeletesThePod() {
    try (History history = new History("quitter")) {
      sandbox.client.pods().resource(pod("quitter", "shop:1.0").editMetadata()
          .addToAnnotations(PodShutdown.STOP_SECONDS, "1").endMetadata().build()).create();
      await().atMost(WAIT).until(() -> Readiness.isPodReady(pod("quitter")));

      sandbox.client.pods().inNamespace(SandboxFixture.NS).withName("quitter").delete();

      Pod terminating = pod("quitter");
      assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotNull();
      assertThat(terminating.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(30L);
      await().atMost(WAIT).until(() -> pod("quitter") == null);
      Pod last = history.seen.get(history.seen.size() - 1);
      assertThat(last.getStatus().getPhase()).isEqualTo("Succeeded");
      assertThat(last.getStatus().getContainerStatuses().get(0).getState().getTerminated().getExitCode()).isZero();
      assertThat(history.seen).anySatisfy(p -> {
        assertThat(p.getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(p.getStatus().getContainerStatuses().get(0).getState().getRunning()).isNotNull();
        assertThat(Readiness.isPodReady(p)).isFalse();
      });
      assertThat(sandbox.client.v1().events().inNamespace(SandboxFixture.NS).list().getItems())
          .anySatisfy(e -> {
            assertThat(e.getInvolvedObject().getName()).isEqualTo("quitter");
            assertThat(e.getReason()).isEqualTo("Killing");
          });
    }
  }

  @Test
  void aShorterGraceShortensTheDeletionAndAContainerStillRunningIsKilled() {
    try (History history = new History("stubborn")) {
      sandbox.client.pods().resource(pod("stubborn", "shop:1.0-slowstop").build()).create();
      await().atMost(WAIT).until(() -> Readiness.isPodReady(pod("stubborn")));
      var stubborn = sandbox.client.pods().inNamespace(SandboxFixture.NS).withName("stubborn");

      stubborn.withGracePeriod(30).delete();
      String deadline = pod("stubborn").getMetadata().getDeletionTimestamp();
      stubborn.withGracePeriod(60).delete();

      assertThat(pod("stubborn").getMetadata().getDeletionGracePeriodSeconds()).as("only shortened").isEqualTo(30L);
      assertThat(pod("stubborn").getMetadata().getDeletionTimestamp()).isEqualTo(deadline);

      stubborn.withGracePeriod(3).delete();

      assertThat(pod("stubborn").getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(3L);
      assertThat(Instant.parse(pod("stubborn").getMetadata().getDeletionTimestamp()))
          .isBefore(Instant.parse(deadline).minusSeconds(20));
      await().atMost(WAIT).until(() -> pod("stubborn") == null);
      Pod last = history.seen.get(history.seen.size() - 1);
      assertThat(last.getStatus().getPhase()).isEqualTo("Failed");
      assertThat(last.getStatus().getContainerStatuses().get(0).getState().getTerminated().getExitCode())
          .isEqualTo(137);
    }
  }

  @Test
  void noGraceOrNoNodeDeletesAtOnce() {
    sandbox.client.pods().resource(pod("instant", "shop:1.0").build()).create();
    sandbox.client.pods().resource(pod("nowhere", "shop:1.0-unschedulable").build()).create();
    await().atMost(WAIT).until(() -> Readiness.isPodReady(pod("instant")));

    sandbox.client.pods().inNamespace(SandboxFixture.NS).withName("instant").withGracePeriod(0).delete();
    sandbox.client.pods().inNamespace(SandboxFixture.NS).withName("nowhere").delete();

    assertThat(pod("instant")).isNull();
    assertThat(pod("nowhere")).isNull();
  }

  @Test
  void aReplicaSetDeletedInTheForegroundWaitsForItsTerminatingPods() {
    Deployment d = withGrace(SandboxFixture.deployment("fg", "shop:1.0", 2), 30).editSpec().editTemplate()
        .editMetadata().addToAnnotations(PodShutdown.STOP_SECONDS, "2").endMetadata().endTemplate().endSpec().build();
    sandbox.create(d);
    await().atMost(WAIT).until(() -> sandbox.rolledOut("fg"));
    List<String> podNames = sandbox.pods("fg").stream().map(p -> p.getMetadata().getName()).toList();
    // watched rather than polled: the states to see last seconds, and a starved test thread must not miss them
    try (Seen<Pod> pods = new Seen<>(sandbox.client.pods().inNamespace(SandboxFixture.NS).withLabel("app", "fg"));
        Seen<ReplicaSet> replicaSets = new Seen<>(sandbox.client.apps().replicaSets().inNamespace(SandboxFixture.NS)
            .withLabel("app", "fg"));
        Seen<Deployment> deployments = new Seen<>(sandbox.client.apps().deployments().inNamespace(SandboxFixture.NS)
            .withName("fg"))) {

      sandbox.client.apps().deployments().inNamespace(SandboxFixture.NS).withName("fg")
          .withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();
      await().atMost(WAIT).until(() -> deployments.deleted());

      // the Deployment waited for its ReplicaSet, which waited for its pods (blockOwnerDeletion)
      assertThat(deployments.states()).anySatisfy(dep -> assertThat(dep.getMetadata().getFinalizers())
          .containsExactly("foregroundDeletion"));
      assertThat(replicaSets.states()).anySatisfy(rs -> {
        assertThat(rs.getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(rs.getMetadata().getFinalizers()).containsExactly("foregroundDeletion");
      });
      assertThat(podNames).allSatisfy(name -> assertThat(pods.states()).anySatisfy(p -> {
        assertThat(p.getMetadata().getName()).isEqualTo(name);
        assertThat(p.getMetadata().getDeletionTimestamp()).isNotNull();
      }));
      assertThat(sandbox.pods("fg")).isEmpty();
      assertThat(sandbox.replicaSets("fg")).isEmpty();
    }
  }

  /** Every state of the objects a watch selects, and whether one was deleted, in the order seen. */
  private static final class Seen<T> implements AutoCloseable {
    private final List<T> states = new CopyOnWriteArrayList<>();
    private volatile boolean deleted;
    private final Watch watch;

    Seen(io.fabric8.kubernetes.client.dsl.Watchable<T> what) {
      watch = what.watch(new Watcher<>() {
        @Override
        public void eventReceived(Action action, T object) {
          states.add(object);
          deleted |= action == Action.DELETED;
        }

        @Override
        public void onClose(WatcherException cause) {
        }
      });
    }

    List<T> states() {
      return states;
    }

    boolean deleted() {
      return deleted;
    }

    @Override
    public void close() {
      watch.close();
    }
  }

  private static io.fabric8.kubernetes.api.model.apps.DeploymentBuilder withGrace(
      io.fabric8.kubernetes.api.model.apps.DeploymentBuilder d, long seconds) {
    return d.editSpec().editTemplate().editSpec().withTerminationGracePeriodSeconds(seconds).endSpec().endTemplate()
        .endSpec();
  }

  private static PodBuilder pod(String name, String image) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace(SandboxFixture.NS).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage(image).endContainer().endSpec();
  }

  private static Pod pod(String name) {
    return sandbox.client.pods().inNamespace(SandboxFixture.NS).withName(name).get();
  }

  /** Every state of one pod, as a watch saw it. */
  private static final class History implements AutoCloseable {
    final List<Pod> seen = new CopyOnWriteArrayList<>();
    private final Watch watch;

    History(String name) {
      watch = sandbox.client.pods().inNamespace(SandboxFixture.NS).withName(name).watch(new Watcher<>() {
        @Override
        public void eventReceived(Action action, Pod pod) {
          seen.add(pod);
        }

        @Override
        public void onClose(WatcherException cause) {
        }
      });
    }

    @Override
    public void close() {
      watch.close();
    }
  }
}
