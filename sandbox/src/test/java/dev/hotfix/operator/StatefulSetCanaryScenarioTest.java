package dev.hotfix.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotfix.api.v1alpha1.CanarySpec;
import dev.hotfix.api.v1alpha1.CanaryVerdict;
import dev.hotfix.api.v1alpha1.ExposureStage;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.RollbackCause;
import dev.hotfix.api.v1alpha1.TargetKind;
import dev.hotfix.json.KubernetesJson;
import dev.hotfix.sandbox.SandboxOptions;
import dev.hotfix.sandbox.prometheus.PrometheusServer;
import dev.hotfix.testing.Kubectl;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spec.rollout.canary} on a StatefulSet, on the sandbox's upstream-like StatefulSet
 * controller and a real Prometheus: the patch holds the rollout at {@code partition = replicas −
 * canary pods}, so only the highest ordinal runs the new images while the canary is judged (pod
 * faults, and a check comparing {@code {{canary}}} with {@code {{baseline}}} on
 * {@code controller_revision_hash}); a passing verdict lowers the partition to 0, a failing one
 * rolls back with the lower ordinals never replaced (judged from watch events: the pods that ever
 * ran the new images). Seen failing when broken (2026-12-06): with the patch writing partition 0
 * as without a canary, the errors image reached a second ordinal before its verdict (caught only
 * as exceeding the bound); with {@code {{canary}}} rendered on {@code pod_template_hash}, the
 * comparative check had no data and the Hotfixes were Rejected in pre-flight. (A crash-looping
 * image is stopped at the first ordinal even without a partition, by OrderedReady and the pod
 * fault, so that case proves the rollback, not the hold.)
 */
class StatefulSetCanaryScenarioTest {
  private static final String FIXED = "registry.example.com/ledger:2.0.1-hotfix.1";
  private static final int REPLICAS = TargetWorkloads.REPLICAS;
  private static ScenarioBed bed;
  private static Kubectl kubectl;

  @BeforeAll
  static void start(@TempDir Path tmp) {
    assertThat(PrometheusServer.findBinary()).as(PrometheusServer.NOT_FOUND).isPresent();
    bed = ScenarioBed.withSandboxPrometheus(SandboxOptions.defaults().withPodStartDelay(Duration.ofMillis(300)));
    kubectl = new Kubectl(bed.writeKubeconfig(tmp.resolve("kubeconfig")));
  }

  @AfterAll
  static void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void aGoodCanaryHoldsTheLowerOrdinalsUntilItPassesThenRollsOut() {
    String set = TargetWorkloads.statefulSetReady(bed, s -> { });
    StatefulSet before = statefulSet(set);
    Map<String, String> uids = uids(set);
    String name = bed.create(canary(set, FIXED, 4));

    // while the canary is analysed: the partition holds, only the highest ordinal was replaced
    await().atMost(Duration.ofSeconds(60)).until(() -> analysing(name));
    assertThat(partitionOf(statefulSet(set))).isEqualTo(REPLICAS - 1);
    Map<String, String> images = imagesByPod(set);
    assertThat(images).containsEntry(set + "-" + (REPLICAS - 1), FIXED);
    for (int ordinal = 0; ordinal < REPLICAS - 1; ordinal++) {
      assertThat(images).containsEntry(set + "-" + ordinal, TargetWorkloads.GOOD);
      assertThat(uids(set)).containsEntry(set + "-" + ordinal, uids.get(set + "-" + ordinal));
    }
    Hotfix done = bed.awaitTerminal(name);

    assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(Phase.Succeeded);
    assertThat(done.getStatus().canary.verdict).isEqualTo(CanaryVerdict.Passed);
    assertThat(done.getStatus().canary.partition).isEqualTo(REPLICAS - 1);
    assertThat(done.getStatus().canary.pods).isEqualTo(1);
    assertThat(done.getStatus().canary.replicaSet).as("no ReplicaSet: the StatefulSet's own pods").isNull();
    assertThat(done.getStatus().checks).filteredOn(c -> c.name.equals("canary-errors")).singleElement()
        .satisfies(c -> assertThat(c.passed).as("measured on controller_revision_hash").isPositive());
    assertThat(done.getStatus().timeline).extracting(e -> e.message)
        .anyMatch(m -> m.contains("(partition " + (REPLICAS - 1) + ": a canary of the 1 highest ordinal(s) first"))
        .anyMatch(m -> m.startsWith("canary passed"));
    await().atMost(Duration.ofSeconds(30)).until(() -> TargetWorkloads.podImages(bed, set)
        .equals(List.of(FIXED, FIXED, FIXED)));
    assertThat(statefulSet(set).getSpec().getUpdateStrategy()).as("the owner's partition 1 restored")
        .isEqualTo(before.getSpec().getUpdateStrategy());
    assertThat(bed.writes(set)).isEqualTo(new OperatorWrites(1, 0, 1, 1));
    assertThat(canaryEvents(name)).as("the canary's steps as Events").containsExactly("CanaryStarted",
        "CanaryAnalysing", "CanaryPassed");
    Kubectl.Result status = kubectl.hotfix("status", name).assertOk();
    assertThat(status.stdout()).containsPattern("\nTarget: +StatefulSet " + set + "\n")
        .containsPattern("\nCanary: +1 pod\\(s\\) \\(from ordinal " + (REPLICAS - 1) + " up, held by the "
            + "partition\\), 1 ready; verdict Passed\n");
  }

  @Test
  void aCrashingCanaryIsRolledBackAndTheLowerOrdinalsWereNeverReplaced() {
    String set = TargetWorkloads.statefulSetReady(bed, s -> { });
    StatefulSet before = statefulSet(set);
    String image = "registry.example.com/ledger:2.0.1-crashloop";
    try (NewImagePods seen = new NewImagePods(set, image)) {
      Hotfix done = bed.runToEnd(canary(set, image, 4));

      assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(Phase.RolledBack);
      assertThat(done.getStatus().rollbackCause).isEqualTo(RollbackCause.PodFault);
      assertThat(done.getStatus().rollbackReason).startsWith("pod_fault: canary ");
      assertThat(done.getStatus().canary.verdict).isEqualTo(CanaryVerdict.Failed);
      assertThat(canaryEvents(done.getMetadata().getName())).containsExactly("CanaryStarted", "CanaryFailed");
      assertRolledBackExactly(set, before, seen);
    }
    bed.assertWrites(set, 1, 1, 1);
  }

  @Test
  void aCanaryWithMoreErrorsThanItsBaselineFailsItsComparativeCheck() {
    String set = TargetWorkloads.statefulSetReady(bed, s -> { });
    StatefulSet before = statefulSet(set);
    String image = "registry.example.com/ledger:2.0.1-errors";
    try (NewImagePods seen = new NewImagePods(set, image)) {
      Hotfix done = bed.runToEnd(canary(set, image, 4));

      assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(Phase.RolledBack);
      assertThat(done.getStatus().rollbackReason).startsWith("check: canary-errors = ");
      assertThat(done.getStatus().canary.analysisStartedAt).isNotNull();
      assertThat(done.getStatus().exposure.stage).isEqualTo(ExposureStage.Canary);
      assertThat(done.getStatus().exposure.bound).isEqualTo(1);
      assertThat(done.getStatus().exposure.maxPodsOnNewRevision).isEqualTo(1);
      assertRolledBackExactly(set, before, seen);
    }
    bed.assertWrites(set, 1, 1, 1);
  }

  @Test
  void aPartitionLoweredBySomeoneElseBeforeTheVerdictExceedsTheBound() {
    String set = TargetWorkloads.statefulSetReady(bed, s -> { });
    String name = bed.create(canary(set, "registry.example.com/ledger:2.0.1-hotfix.2", 30));
    await().atMost(Duration.ofSeconds(60)).until(() -> analysing(name));

    // a second writer lets the rollout past the canary
    bed.client.apps().statefulSets().inNamespace(ScenarioBed.NS).withName(set)
        .edit(s -> {
          s.getSpec().getUpdateStrategy().getRollingUpdate().setPartition(0);
          return s;
        });
    Hotfix done = bed.awaitTerminal(name);

    assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(Phase.RolledBack);
    assertThat(done.getStatus().rollbackCause).isEqualTo(RollbackCause.Exposure);
    assertThat(done.getStatus().rollbackReason).contains("above the bound of 1 (spec.rollout.canary.pods)")
        .contains("partition is 0, not the " + (REPLICAS - 1) + " the operator wrote");
    await().atMost(Duration.ofSeconds(30)).until(() -> TargetWorkloads.podImages(bed, set)
        .equals(List.of(TargetWorkloads.GOOD, TargetWorkloads.GOOD, TargetWorkloads.GOOD)));
  }

  @Test
  void aCanaryAsLargeAsTheStatefulSetIsRejected() {
    String set = TargetWorkloads.statefulSetReady(bed, s -> { });
    Hotfix h = canary(set, FIXED, 4);
    h.getSpec().rollout.canary.pods = new IntOrString(REPLICAS);

    Hotfix done = bed.runToEnd(h);

    assertThat(done.getStatus().phase).isEqualTo(Phase.Rejected);
    assertThat(done.getStatus().message).startsWith("spec.rollout.canary.pods comes to 3 pod(s), but StatefulSet "
        + set + " has 3 replica(s)");
    bed.assertWrites(set, 0, 0, 0);
  }

  private static void assertRolledBackExactly(String set, StatefulSet before, NewImagePods seen) {
    StatefulSet after = statefulSet(set);
    JsonNode restored = KubernetesJson.MAPPER.valueToTree(after.getSpec().getTemplate());
    assertThat(restored).as("the pod template, field by field")
        .isEqualTo(KubernetesJson.MAPPER.valueToTree(before.getSpec().getTemplate()));
    assertThat(after.getSpec().getUpdateStrategy()).isEqualTo(before.getSpec().getUpdateStrategy());
    await().atMost(Duration.ofSeconds(30)).until(() -> TargetWorkloads.podImages(bed, set)
        .equals(List.of(TargetWorkloads.GOOD, TargetWorkloads.GOOD, TargetWorkloads.GOOD)));
    assertThat(seen.names()).as("pods that ever ran the new image: only the canary's ordinal")
        .containsExactly(set + "-" + (REPLICAS - 1));
  }

  private static Hotfix canary(String set, String image, int analysisSeconds) {
    Hotfix h = bed.hotfix(set, image, spec -> spec.target.kind = TargetKind.StatefulSet);
    h.getSpec().rollout.canary = new CanarySpec();
    h.getSpec().rollout.canary.pods = new IntOrString(1);
    h.getSpec().rollout.canary.analysisSeconds = analysisSeconds;
    h.getSpec().rollout.progressDeadlineSeconds = 60;
    h.getSpec().verification.bakeSeconds = 2;
    h.getSpec().verification.intervalSeconds = 1;
    h.getSpec().verification.checks = List.of(SandboxChecks.canaryErrorRate(set));
    return h;
  }

  private static List<String> canaryEvents(String hotfix) {
    return canaryEvents(bed, hotfix);
  }

  /** The reasons of the Hotfix's canary Events in {@code bed}, oldest first. */
  static List<String> canaryEvents(ScenarioBed bed, String hotfix) {
    return bed.client.v1().events().inNamespace(ScenarioBed.NS).list().getItems().stream()
        .filter(e -> hotfix.equals(e.getInvolvedObject().getName()) && e.getReason().startsWith("Canary"))
        // created in that order: the store's resourceVersions grow
        .sorted(java.util.Comparator.comparingLong(e -> Long.parseLong(e.getMetadata().getResourceVersion())))
        .map(io.fabric8.kubernetes.api.model.Event::getReason).toList();
  }

  private static boolean analysing(String hotfix) {
    Hotfix now = bed.get(hotfix);
    return now.getStatus() != null && now.getStatus().canary != null
        && now.getStatus().canary.analysisStartedAt != null && now.getStatus().canary.verdict == null;
  }

  private static StatefulSet statefulSet(String name) {
    return bed.client.apps().statefulSets().inNamespace(ScenarioBed.NS).withName(name).get();
  }

  private static Integer partitionOf(StatefulSet set) {
    return set.getSpec().getUpdateStrategy().getRollingUpdate().getPartition();
  }

  private static Map<String, String> uids(String set) {
    return TargetWorkloads.pods(bed, set).stream()
        .collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p.getMetadata().getUid()));
  }

  private static Map<String, String> imagesByPod(String set) {
    return TargetWorkloads.pods(bed, set).stream()
        .collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p.getSpec().getContainers().get(0).getImage()));
  }

  /** The names of the pods that ever ran {@code image}, from every watch event. */
  private static final class NewImagePods implements AutoCloseable {
    private final Set<String> names = ConcurrentHashMap.newKeySet();
    private final SharedIndexInformer<Pod> informer;

    NewImagePods(String set, String image) {
      informer = bed.client.pods().inNamespace(ScenarioBed.NS).withLabel("app", set).inform(
          new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
              seen(pod);
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
              seen(pod);
            }

            @Override
            public void onDelete(Pod pod, boolean unknown) {
              seen(pod);
            }

            private void seen(Pod pod) {
              if (pod.getSpec().getContainers().stream().anyMatch(c -> image.equals(c.getImage()))) {
                names.add(pod.getMetadata().getName());
              }
            }
          });
    }

    Set<String> names() {
      return Set.copyOf(names);
    }

    @Override
    public void close() {
      informer.close();
    }
  }
}
