package dev.hotfix.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotfix.api.v1alpha1.CanarySpec;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.RollbackCause;
import dev.hotfix.api.v1alpha1.TargetKind;
import dev.hotfix.json.KubernetesJson;
import dev.hotfix.rollout.HotfixAnnotations;
import dev.hotfix.rollout.PodTemplates;
import dev.hotfix.sandbox.SandboxOptions;
import dev.hotfix.testing.Kubectl;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hotfixes of StatefulSets and DaemonSets on the sandbox's upstream-like controllers: a good one
 * succeeds and gives the owner back their updateStrategy; a crashing one is rolled back to the
 * exact pod template of the ControllerRevision it replaced (a two-container template with env,
 * resources, ports and annotations, compared field by field); availability is judged pod by pod
 * from watch events; the real kubectl's {@code rollout status} agrees with the phase. Seen failing
 * (2026-12-05) before the StatefulSet's forced rollback existed ({@code StuckPods}): the restored
 * template waited behind the crash-looping pod (OrderedReady) and the Hotfix ended "ROLLBACK
 * FAILED" at its deadline, as upstream's documentation warns.
 */
class WorkloadKindsScenarioTest {
  private static final String GOOD = TargetWorkloads.GOOD;
  private static final String FIXED = "registry.example.com/ledger:2.0.1-hotfix.1";
  private static final String CRASHING = "registry.example.com/ledger:2.0.1-crashloop";
  private static final int REPLICAS = TargetWorkloads.REPLICAS;
  private static final int NODES = TargetWorkloads.NODES;

  private static ScenarioBed bed;
  private static Kubectl kubectl;

  @BeforeAll
  static void start(@TempDir Path tmp) {
    bed = new ScenarioBed(SandboxOptions.defaults().withPrometheus(false).withPodStartDelay(Duration.ofMillis(300)),
        OperatorOptions.defaults());
    kubectl = new Kubectl(bed.writeKubeconfig(tmp.resolve("kubeconfig")));
  }

  @AfterAll
  static void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void aGoodHotfixOfAStatefulSetSucceedsAndGivesTheOwnerTheirStrategyBack() {
    String name = statefulSetReady();
    StatefulSet before = statefulSet(name);
    try (Availability availability = Availability.of(name)) {
      Hotfix h = bed.runToEnd(hotfix(TargetKind.StatefulSet, name, FIXED));

      assertThat(h.getStatus().phase).as(h.getStatus().message).isEqualTo(Phase.Succeeded);
      StatefulSet after = statefulSet(name);
      assertThat(PodTemplates.images(after.getSpec().getTemplate())).containsEntry("app", FIXED)
          .containsEntry("log-shipper", "registry.example.com/log-shipper:1.2");
      assertThat(after.getSpec().getUpdateStrategy()).as("the owner's partition 1 restored")
          .isEqualTo(before.getSpec().getUpdateStrategy());
      assertThat(after.getMetadata().getAnnotations()).doesNotContainKeys(HotfixAnnotations.ACTIVE,
          HotfixAnnotations.PREVIOUS_REVISION);
      await().atMost(Duration.ofSeconds(30)).until(() -> podImages(name).equals(List.of(FIXED, FIXED, FIXED)));
      assertThat(h.getStatus().previous.replicaSet).as("the revision replaced, by its ControllerRevision")
          .isEqualTo(before.getStatus().getUpdateRevision());
      assertThat(availability.fewestReady()).as("ready pods at any watch event (a StatefulSet replaces one pod at "
          + "a time in place)").isGreaterThanOrEqualTo(REPLICAS - 1);
    }
    assertThat(kubectl.run("rollout", "status", "statefulset/" + name, "--timeout=20s").assertOk().stdout())
        .contains("roll out complete");
    bed.assertWrites(name, 1, 0, 1);
  }

  @Test
  void aCrashingHotfixOfAStatefulSetIsRolledBackToTheExactTemplate() {
    String name = statefulSetReady();
    StatefulSet before = statefulSet(name);
    try (Availability availability = Availability.of(name)) {
      Hotfix h = bed.runToEnd(hotfix(TargetKind.StatefulSet, name, CRASHING));

      assertThat(h.getStatus().phase).as(h.getStatus().message).isEqualTo(Phase.RolledBack);
      assertThat(h.getStatus().rollbackCause).isEqualTo(RollbackCause.PodFault);
      StatefulSet after = statefulSet(name);
      assertSameTemplate(after.getSpec().getTemplate(), before.getSpec().getTemplate());
      assertThat(after.getSpec().getUpdateStrategy()).isEqualTo(before.getSpec().getUpdateStrategy());
      await().atMost(Duration.ofSeconds(30)).until(() -> podImages(name).equals(List.of(GOOD, GOOD, GOOD)));
      assertThat(availability.fewestReady()).isGreaterThanOrEqualTo(REPLICAS - 1);
    }
    assertThat(kubectl.run("rollout", "status", "statefulset/" + name, "--timeout=20s").assertOk().stdout())
        .contains("roll out complete");
    bed.assertWrites(name, 1, 1, 1);
  }

  @Test
  void aGoodHotfixOfADaemonSetSurgesOnEveryNodeWithoutDowntime() {
    String name = daemonSetReady();
    DaemonSet before = daemonSet(name);
    try (Availability availability = Availability.of(name)) {
      Hotfix h = bed.runToEnd(hotfix(TargetKind.DaemonSet, name, FIXED));

      assertThat(h.getStatus().phase).as(h.getStatus().message).isEqualTo(Phase.Succeeded);
      DaemonSet after = daemonSet(name);
      assertThat(PodTemplates.images(after.getSpec().getTemplate())).containsEntry("app", FIXED);
      assertThat(after.getSpec().getUpdateStrategy()).as("the owner's maxSurge 0, maxUnavailable 1 restored")
          .isEqualTo(before.getSpec().getUpdateStrategy());
      await().atMost(Duration.ofSeconds(30)).until(() -> podImages(name).equals(List.of(FIXED, FIXED, FIXED)));
      assertThat(availability.fewestNodesServed()).as("nodes with a ready pod at any watch event (maxSurge: a new "
          + "pod beside the old one on each node)").isEqualTo(NODES);
    }
    assertThat(kubectl.run("rollout", "status", "daemonset/" + name, "--timeout=20s").assertOk().stdout())
        .contains("successfully rolled out");
    bed.assertWrites(name, 1, 0, 1);
  }

  @Test
  void aCrashingHotfixOfADaemonSetIsRolledBackWithEveryNodeServed() {
    String name = daemonSetReady();
    DaemonSet before = daemonSet(name);
    try (Availability availability = Availability.of(name)) {
      Hotfix h = bed.runToEnd(hotfix(TargetKind.DaemonSet, name, CRASHING));

      assertThat(h.getStatus().phase).as(h.getStatus().message).isEqualTo(Phase.RolledBack);
      DaemonSet after = daemonSet(name);
      assertSameTemplate(after.getSpec().getTemplate(), before.getSpec().getTemplate());
      assertThat(after.getSpec().getUpdateStrategy()).isEqualTo(before.getSpec().getUpdateStrategy());
      await().atMost(Duration.ofSeconds(30)).until(() -> podImages(name).equals(List.of(GOOD, GOOD, GOOD)));
      assertThat(availability.fewestNodesServed()).isEqualTo(NODES);
    }
    assertThat(kubectl.run("rollout", "status", "daemonset/" + name, "--timeout=20s").assertOk().stdout())
        .contains("successfully rolled out");
    bed.assertWrites(name, 1, 1, 1);
  }

  @Test
  void aCanaryOfADaemonSetOrAnOnDeleteStatefulSetIsRejectedWithoutAWrite() {
    String agent = daemonSetReady();
    Hotfix canary = bed.runToEnd(hotfix(TargetKind.DaemonSet, agent, FIXED, h -> {
      h.getSpec().rollout.canary = new CanarySpec();
      h.getSpec().rollout.canary.pods = new IntOrString(1);
    }));
    assertThat(canary.getStatus().phase).isEqualTo(Phase.Rejected);
    assertThat(canary.getStatus().message).contains("spec.rollout.canary needs a Deployment or a StatefulSet")
        .contains("remove spec.rollout.canary");

    String onDelete = statefulSetReady(s -> s.getSpec().getUpdateStrategy().setType("OnDelete"));
    Hotfix manual = bed.runToEnd(hotfix(TargetKind.StatefulSet, onDelete, FIXED));
    assertThat(manual.getStatus().phase).isEqualTo(Phase.Rejected);
    assertThat(manual.getStatus().message).contains("uses updateStrategy OnDelete").contains("RollingUpdate");
    bed.assertWrites(agent, 0, 0, 0);
    bed.assertWrites(onDelete, 0, 0, 0);
  }

  private static Hotfix hotfix(TargetKind kind, String target, String image) {
    return hotfix(kind, target, image, h -> { });
  }

  private static Hotfix hotfix(TargetKind kind, String target, String image, java.util.function.Consumer<Hotfix> more) {
    Hotfix h = bed.hotfix(target, image, spec -> spec.target.kind = kind);
    more.accept(h);
    return h;
  }

  private static void assertSameTemplate(PodTemplateSpec actual, PodTemplateSpec expected) {
    JsonNode restored = KubernetesJson.MAPPER.valueToTree(actual);
    JsonNode replaced = KubernetesJson.MAPPER.valueToTree(expected);
    assertThat(restored).as("the pod template, field by field").isEqualTo(replaced);
  }

  private static String statefulSetReady() {
    return TargetWorkloads.statefulSetReady(bed, s -> { });
  }

  private static String statefulSetReady(java.util.function.Consumer<StatefulSet> customize) {
    return TargetWorkloads.statefulSetReady(bed, customize);
  }

  private static String daemonSetReady() {
    return TargetWorkloads.daemonSetReady(bed);
  }

  private static List<String> podImages(String app) {
    return TargetWorkloads.podImages(bed, app);
  }

  private static StatefulSet statefulSet(String name) {
    return bed.client.apps().statefulSets().inNamespace(ScenarioBed.NS).withName(name).get();
  }

  private static DaemonSet daemonSet(String name) {
    return bed.client.apps().daemonSets().inNamespace(ScenarioBed.NS).withName(name).get();
  }

  /**
   * Pod-level availability from watch events: after each event, the ready pods not being deleted
   * (in all, and the nodes that have one).
   */
  private static final class Availability implements AutoCloseable {
    private final Map<String, Pod> live = new ConcurrentHashMap<>();
    private final List<Integer> ready = new CopyOnWriteArrayList<>();
    private final List<Integer> nodesServed = new CopyOnWriteArrayList<>();
    private final SharedIndexInformer<Pod> informer;

    private Availability(String app) {
      informer = bed.client.pods().inNamespace(ScenarioBed.NS).withLabel("app", app).inform(
          new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
              changed(pod);
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
              changed(pod);
            }

            @Override
            public void onDelete(Pod pod, boolean unknown) {
              live.remove(pod.getMetadata().getName());
              record();
            }
          });
    }

    static Availability of(String app) {
      return new Availability(app);
    }

    private void changed(Pod pod) {
      live.put(pod.getMetadata().getName(), pod);
      record();
    }

    private synchronized void record() {
      List<Pod> serving = live.values().stream()
          .filter(p -> p.getMetadata().getDeletionTimestamp() == null && Readiness.isPodReady(p)).toList();
      ready.add(serving.size());
      Set<String> nodes = serving.stream().map(p -> p.getSpec().getNodeName()).collect(Collectors.toSet());
      nodesServed.add(nodes.size());
    }

    int fewestReady() {
      return fewest(ready, REPLICAS);
    }

    int fewestNodesServed() {
      return fewest(nodesServed, NODES);
    }

    private static int fewest(List<Integer> seen, int all) {
      // the informer's initial list adds pods one by one: judge from the first moment all were there
      int from = seen.indexOf(all);
      assertThat(from).as("all %s were seen serving (%s)", all, seen).isNotNegative();
      return seen.subList(from, seen.size()).stream().min(Integer::compare).orElseThrow();
    }

    @Override
    public void close() {
      informer.close();
    }
  }
}
