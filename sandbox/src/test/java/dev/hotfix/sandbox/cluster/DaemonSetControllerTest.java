package dev.hotfix.sandbox.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The DaemonSet controller against upstream's rules (pkg/controller/daemon): one pod per
 * eligible node, rolling updates within maxUnavailable or surging within maxSurge, ControllerRevisions,
 * and the status {@code kubectl rollout status} reads.
 */
class DaemonSetControllerTest {

  private static final Duration ROLLOUT = Duration.ofSeconds(40);
  private static final List<String> NODES = Kubelet.NODE_NAMES;
  @RegisterExtension static final SandboxFixture sandbox = new SandboxFixture();

  static DaemonSetBuilder daemonSet(String name, String image, Object maxSurge, Object maxUnavailable) {
    return new DaemonSetBuilder()
        .withNewMetadata().withName(name).withNamespace(SandboxFixture.NS).endMetadata()
        .withNewSpec()
        .withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewUpdateStrategy().withType("RollingUpdate").withNewRollingUpdate()
        .withMaxSurge(intOrString(maxSurge)).withMaxUnavailable(intOrString(maxUnavailable))
        .endRollingUpdate().endUpdateStrategy()
        .withNewTemplate()
        .withNewMetadata().addToLabels("app", name).endMetadata()
        .withNewSpec().addNewContainer().withName("agent").withImage(image).endContainer().endSpec()
        .endTemplate()
        .endSpec();
  }

  private static IntOrString intOrString(Object value) {
    return value instanceof Integer i ? new IntOrString(i) : new IntOrString(value.toString());
  }

  private static DaemonSet get(String name) {
    return sandbox.client.apps().daemonSets().inNamespace(SandboxFixture.NS).withName(name).get();
  }

  /** Done as {@code kubectl rollout status} judges a DaemonSet. */
  private static boolean rolledOut(String name) {
    DaemonSet ds = get(name);
    var s = ds.getStatus();
    return s != null && s.getObservedGeneration() != null && s.getObservedGeneration() >= ds.getMetadata().getGeneration()
        && s.getDesiredNumberScheduled() != null && s.getDesiredNumberScheduled() > 0
        && s.getUpdatedNumberScheduled() != null && s.getUpdatedNumberScheduled() >= s.getDesiredNumberScheduled()
        && s.getNumberAvailable() != null && s.getNumberAvailable() >= s.getDesiredNumberScheduled();
  }

  private static void setImage(String name, String image) {
    sandbox.client.apps().daemonSets().inNamespace(SandboxFixture.NS).withName(name)
        .edit(d -> new DaemonSetBuilder(d).editSpec().editTemplate().editSpec().editFirstContainer()
            .withImage(image).endContainer().endSpec().endTemplate().endSpec().build());
  }

  private static List<Pod> live(String name) {
    return sandbox.pods(name).stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
  }

  /** After every pod event: how many nodes have no ready pod, and how many pods exist. */
  private static final class NodeWatch implements AutoCloseable {
    final Map<String, Pod> pods = new ConcurrentHashMap<>();
    final List<Integer> unavailableNodes = new CopyOnWriteArrayList<>();
    /** Pods not being deleted. */
    final List<Integer> podCounts = new CopyOnWriteArrayList<>();
    private final SharedIndexInformer<Pod> informer;
    private volatile boolean listed;

    NodeWatch(String name) {
      informer = sandbox.client.pods().inNamespace(SandboxFixture.NS).withLabel("app", name).inform(
          new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
              changed(pod, false);
            }

            @Override
            public void onUpdate(Pod before, Pod after) {
              changed(after, false);
            }

            @Override
            public void onDelete(Pod pod, boolean unknown) {
              changed(pod, true);
            }
          });
      listed = true;
    }

    private synchronized void changed(Pod pod, boolean gone) {
      if (gone) {
        pods.remove(pod.getMetadata().getName());
      } else {
        pods.put(pod.getMetadata().getName(), pod);
      }
      if (!listed) {
        return;
      }
      long covered = NODES.stream().filter(node -> pods.values().stream().anyMatch(p -> node.equals(p.getSpec()
          .getNodeName()) && p.getMetadata().getDeletionTimestamp() == null && Readiness.isPodReady(p))).count();
      unavailableNodes.add((int) (NODES.size() - covered));
      // as upstream's findUpdatedPodsOnNode, a terminating pod no longer counts against the surge
      podCounts.add((int) pods.values().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).count());
    }

    @Override
    public void close() {
      informer.close();
    }
  }

  @Test
  void runsOnePodOnEveryNodeLabelledWithItsRevision() {
    sandbox.client.apps().daemonSets().resource(daemonSet("agent", "agent:1", 0, 1).build()).create();
    await().atMost(ROLLOUT).until(() -> rolledOut("agent"));

    DaemonSet ds = get("agent");
    assertThat(ds.getStatus().getDesiredNumberScheduled()).isEqualTo(NODES.size());
    assertThat(ds.getStatus().getCurrentNumberScheduled()).isEqualTo(NODES.size());
    assertThat(ds.getStatus().getNumberMisscheduled()).isZero();
    List<ControllerRevision> revisions = sandbox.client.apps().controllerRevisions().inNamespace(SandboxFixture.NS)
        .withLabel("app", "agent").list().getItems();
    assertThat(revisions).singleElement().satisfies(r -> assertThat(r.getRevision()).isEqualTo(1L));
    String hash = revisions.get(0).getMetadata().getLabels().get("controller-revision-hash");
    assertThat(revisions.get(0).getMetadata().getName()).isEqualTo("agent-" + hash);
    assertThat(live("agent")).extracting(p -> p.getSpec().getNodeName()).containsExactlyInAnyOrderElementsOf(NODES);
    assertThat(live("agent")).allSatisfy(p -> assertThat(p.getMetadata().getLabels())
        .containsEntry("controller-revision-hash", hash).containsEntry("pod-template-generation", "1"));
  }

  @Test
  void aRollingUpdateLeavesAtMostMaxUnavailableNodesWithoutAReadyPod() {
    sandbox.client.apps().daemonSets().resource(daemonSet("unavail", "agent:1", 0, 1).build()).create();
    await().atMost(ROLLOUT).until(() -> rolledOut("unavail"));

    try (NodeWatch watch = new NodeWatch("unavail")) {
      setImage("unavail", "agent:2");
      await().atMost(ROLLOUT).until(() -> rolledOut("unavail") && live("unavail").stream()
          .allMatch(p -> p.getSpec().getContainers().get(0).getImage().equals("agent:2")));

      assertThat(watch.unavailableNodes).isNotEmpty().allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(1));
      assertThat(watch.unavailableNodes).contains(1);
      assertThat(watch.podCounts).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(NODES.size()));
    }
    assertThat(live("unavail")).extracting(p -> p.getSpec().getNodeName()).containsExactlyInAnyOrderElementsOf(NODES);
  }

  @Test
  void aSurgingUpdateStartsTheNewPodBesideTheOldOneAndNeverLosesANode() {
    sandbox.client.apps().daemonSets().resource(daemonSet("surge", "agent:1", 1, 0).build()).create();
    await().atMost(ROLLOUT).until(() -> rolledOut("surge"));

    try (NodeWatch watch = new NodeWatch("surge")) {
      setImage("surge", "agent:2");
      await().atMost(ROLLOUT).until(() -> rolledOut("surge") && live("surge").size() == NODES.size()
          && live("surge").stream().allMatch(p -> p.getSpec().getContainers().get(0).getImage().equals("agent:2")));

      assertThat(watch.unavailableNodes).isNotEmpty().allSatisfy(n -> assertThat(n).isZero());
      assertThat(watch.podCounts).contains(NODES.size() + 1)
          .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(NODES.size() + 1));
    }
  }

  @Test
  void aCrashingTemplateStopsAfterMaxUnavailableNodes() {
    sandbox.client.apps().daemonSets().resource(daemonSet("crash", "agent:1", 0, 1).build()).create();
    await().atMost(ROLLOUT).until(() -> rolledOut("crash"));

    setImage("crash", "agent:2-crashloop");
    await().atMost(ROLLOUT).until(() -> live("crash").stream().anyMatch(p -> Pods.restartCount(p) >= 2));

    DaemonSet ds = get("crash");
    assertThat(ds.getStatus().getUpdatedNumberScheduled()).isEqualTo(1);
    assertThat(ds.getStatus().getNumberAvailable()).isEqualTo(NODES.size() - 1);
    assertThat(live("crash")).filteredOn(p -> p.getSpec().getContainers().get(0).getImage().equals("agent:1"))
        .hasSize(NODES.size() - 1);
  }

  @Test
  void aNodeSelectorLimitsTheNodes() {
    sandbox.client.apps().daemonSets().resource(daemonSet("picky", "agent:1", 0, 1).editSpec().editTemplate()
        .editSpec().addToNodeSelector("kubernetes.io/hostname", NODES.get(1)).endSpec().endTemplate().endSpec()
        .build()).create();
    await().atMost(ROLLOUT).until(() -> rolledOut("picky"));

    assertThat(get("picky").getStatus().getDesiredNumberScheduled()).isEqualTo(1);
    assertThat(live("picky")).singleElement().satisfies(p -> assertThat(p.getSpec().getNodeName()).isEqualTo(NODES.get(1)));
  }
}
