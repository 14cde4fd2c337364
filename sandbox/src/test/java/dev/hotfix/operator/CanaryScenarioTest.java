package dev.hotfix.operator;

import io.fabric8.kubernetes.client.readiness.Readiness;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotfix.api.v1alpha1.CanarySpec;
import dev.hotfix.api.v1alpha1.CanaryVerdict;
import dev.hotfix.api.v1alpha1.ExposureStage;
import dev.hotfix.api.v1alpha1.ExposureStatus;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixSpec;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.health.PodFaults;
import dev.hotfix.rollout.CanaryReplicaSet;
import dev.hotfix.rollout.PodTemplates;
import dev.hotfix.sandbox.SandboxOptions;
import dev.hotfix.sandbox.prometheus.PrometheusServer;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code spec.rollout.canary} on the sandbox with a real Prometheus: the new images first run on
 * one extra pod beside the Deployment's own; a good canary lets the rollout complete, a crash
 * looping one and one whose error rate is worse than the baseline's are removed with the
 * Deployment never written and its pods never reduced (judged at the pod level, from watch
 * events). Seen failing when broken: without the canary step (the Deployment patched at once)
 * the failing cases see Deployment writes and more than one new pod; with {{canary}} and
 * {{baseline}} swapped, the errors canary passes; with the canary made by scaling the
 * Deployment down by its size, the old revision's ready pods drop below desired.
 */
class CanaryScenarioTest {
  private static ScenarioBed bed;

  @BeforeAll
  static void start() {
    assertThat(PrometheusServer.findBinary()).as(PrometheusServer.NOT_FOUND).isPresent();
    bed = ScenarioBed.withSandboxPrometheus(SandboxOptions.defaults().withPodStartDelay(Duration.ofMillis(300)));
  }

  @AfterAll
  static void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void aGoodCanaryPassesAndTheRolloutCompletes() {
    String web = bed.deploymentReady(d -> { });
    String image = "registry.example.com/web:1.1-hotfix.1";
    long creates = replicaSetCreates();
    try (RevisionPods pods = new RevisionPods(web, bed.currentHash(web), image)) {
      Hotfix done = bed.runToEnd(canary(bed.hotfix(web, image, s -> { }), web, 1));

      assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(Phase.Succeeded);
      assertThat(done.getStatus().canary.verdict).isEqualTo(CanaryVerdict.Passed);
      assertThat(done.getStatus().canary.pods).isEqualTo(1);
      assertThat(done.getStatus().checks).filteredOn(c -> c.name.equals("canary-errors"))
          .singleElement().satisfies(c -> assertThat(c.passed).isPositive());
      assertThat(bed.phases(done)).containsSubsequence(Phase.RollingOut, Phase.Verifying, Phase.Succeeded);
      assertThat(done.getStatus().timeline).extracting(e -> e.message)
          .anyMatch(m -> m.startsWith("canary started: 1 pod(s)"))
          .anyMatch(m -> m.startsWith("canary passed"));
      assertThat(bed.image(web)).isEqualTo(image);
      assertThat(StatefulSetCanaryScenarioTest.canaryEvents(bed, done.getMetadata().getName()))
          .as("the canary's steps as Events").containsExactly("CanaryStarted", "CanaryAnalysing", "CanaryPassed");
      bed.assertWrites(web, 1, 0, 1);
      bed.assertAvailabilityNeverDropped(web);
      assertThat(pods.canaryPods()).hasSize(1);
      assertThat(pods.minOldReadyBeforeRollout()).isEqualTo(ScenarioBed.REPLICAS);
      ExposureStatus e = done.getStatus().exposure;
      assertThat(e.stage).as("past a passing canary, the Deployment's rollout bounds the exposure")
          .isEqualTo(ExposureStage.Rollout);
      assertThat(e.bound).as("3 replicas + maxSurge 25%% rounded up").isEqualTo(ScenarioBed.REPLICAS + 1);
      assertThat(e.podsOnNewRevision).isEqualTo(ScenarioBed.REPLICAS);
      assertThat(e.maxPodsOnNewRevision).isBetween(ScenarioBed.REPLICAS, e.bound);
      // the canary pod, the first, was removed once the Deployment held the new images
      assertThat(e.longestExposureSeconds).isPositive().isLessThanOrEqualTo(firstPodToVerdict(e));
      assertCanaryGone(done, creates);
    }
  }

  @Test
  void aCrashLoopingCanaryIsRemovedAndTheOldPodsWereNeverReduced() {
    String web = bed.deploymentReady(d -> { });
    long generation = bed.deployment(web).getMetadata().getGeneration();
    String image = "registry.example.com/web:1.1-crashloop";
    long creates = replicaSetCreates();
    try (RevisionPods pods = new RevisionPods(web, bed.currentHash(web), image)) {
      Hotfix done = bed.runToEnd(canary(bed.hotfix(web, image, s -> { }), web, 1));

      assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(Phase.RolledBack);
      assertThat(done.getStatus().rollbackReason).startsWith("pod_fault: canary pod " + web + "-");
      assertThat(done.getStatus().message).startsWith("canary failed: ")
          .contains("Deployment " + web + " was never changed");
      assertThat(done.getStatus().canary.verdict).isEqualTo(CanaryVerdict.Failed);
      assertThat(StatefulSetCanaryScenarioTest.canaryEvents(bed, done.getMetadata().getName()))
          .containsExactly("CanaryStarted", "CanaryFailed");
      assertNeverTouched(web, generation, pods);
      assertCanaryGone(done, creates);
    }
  }

  @Test
  void aCanaryWithMoreErrorsThanItsBaselineFails() {
    String web = bed.deploymentReady(d -> { });
    long generation = bed.deployment(web).getMetadata().getGeneration();
    String image = "registry.example.com/web:1.1-errors";
    long creates = replicaSetCreates();
    try (RevisionPods pods = new RevisionPods(web, bed.currentHash(web), image)) {
      Hotfix done = bed.runToEnd(canary(bed.hotfix(web, image, s -> { }), web, 1));

      assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(Phase.RolledBack);
      assertThat(done.getStatus().rollbackReason).startsWith("check: canary-errors = ")
          .contains("(failWhen \"> 0.05\"");
      assertThat(done.getStatus().canary.analysisStartedAt).isNotNull();
      assertNeverTouched(web, generation, pods);
      ExposureStatus e = done.getStatus().exposure;
      assertThat(e.stage).isEqualTo(ExposureStage.Canary);
      assertThat(e.bound).as("spec.rollout.canary.pods").isEqualTo(1);
      assertThat(e.maxPodsOnNewRevision).as("the most pods on the errors image at once, before the verdict")
          .isEqualTo(1);
      assertThat(e.podsOnNewRevision).as("after the canary was removed").isZero();
      assertVerdictTimes(e);
      assertThat(Instant.parse(e.verdictAt)).as("the verdict comes after the analysis began")
          .isAfterOrEqualTo(Instant.parse(done.getStatus().canary.analysisStartedAt));
      assertCanaryGone(done, creates);
    }
  }

  @Test
  void withoutACanaryTheErrorsImageReachesThePodsOfTheRolloutBeforeItsVerdict() {
    String web = bed.deploymentReady(d -> { });
    String image = "registry.example.com/web:1.1-errors";
    try (RevisionPods pods = new RevisionPods(web, bed.currentHash(web), image)) {
      Hotfix done = bed.runToEnd(bed.hotfix(web, image, s -> {
        s.rollout.progressDeadlineSeconds = 60;
        s.verification.bakeSeconds = 30;
        s.verification.intervalSeconds = 1;
        s.verification.checks = List.of(SandboxChecks.errorRate(web));
      }));

      assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(Phase.RolledBack);
      assertThat(done.getStatus().rollbackReason).startsWith("check: error-rate = ");
      ExposureStatus e = done.getStatus().exposure;
      assertThat(e.stage).isEqualTo(ExposureStage.Rollout);
      assertThat(e.bound).as("3 replicas + maxSurge 25%% rounded up").isEqualTo(ScenarioBed.REPLICAS + 1);
      assertThat(e.maxPodsOnNewRevision).as("new pods only come, none goes, before the verdict: at most those "
          + "ever created, %s", pods.newImageEvents()).isPositive().isLessThanOrEqualTo(pods.newImagePods().size());
      assertThat(e.podsOnNewRevision).as("after the rollback").isZero();
      assertVerdictTimes(e);
    }
  }

  @Test
  void aCanaryScaledBySomeoneElseExceedsItsBoundAndIsRemoved() {
    String web = bed.deploymentReady(d -> { });
    long generation = bed.deployment(web).getMetadata().getGeneration();
    long creates = replicaSetCreates();
    Hotfix h = canary(bed.hotfix(web, "registry.example.com/web:1.1-hotfix.4", s -> { }), web, 1);
    h.getSpec().rollout.canary.analysisSeconds = 30;
    String name = bed.create(h);
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      Hotfix now = bed.get(name);
      return now.getStatus() != null && now.getStatus().canary != null
          && now.getStatus().canary.analysisStartedAt != null;
    });
    String rs = bed.get(name).getStatus().canary.replicaSet;

    // a second writer: someone scales the operator's canary ReplicaSet
    bed.client.apps().replicaSets().inNamespace(ScenarioBed.NS).withName(rs).scale(3);
    Hotfix done = bed.awaitTerminal(name);

    assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(Phase.RolledBack);
    assertThat(done.getStatus().rollbackReason).startsWith("exposure: ")
        .contains("above the bound of 1 (spec.rollout.canary.pods)").contains("canary ReplicaSet " + rs);
    assertThat(done.getStatus().conditions).filteredOn(c -> c.getType().equals("RolledBack")).singleElement()
        .satisfies(c -> assertThat(c.getReason()).isEqualTo("Exposure"));
    assertThat(done.getStatus().exposure.bound).isEqualTo(1);
    bed.assertWrites(web, 0, 0, 0);
    assertThat(bed.deployment(web).getMetadata().getGeneration()).isEqualTo(generation);
    assertCanaryGone(done, creates);
  }

  @Test
  void aCanaryAsLargeAsTheDeploymentIsRejected() {
    String web = bed.deploymentReady(2, d -> { });

    Hotfix done = bed.runToEnd(canary(bed.hotfix(web, "registry.example.com/web:1.1-hotfix.2", s -> { }), web,
        2));

    assertThat(done.getStatus().phase).isEqualTo(Phase.Rejected);
    assertThat(done.getStatus().message).startsWith("spec.rollout.canary.pods comes to 2 pod(s), but Deployment "
        + web + " has 2 replica(s)");
    bed.assertWrites(web, 0, 0, 0);
  }

  @Test
  void aComparativeCheckWithoutACanaryIsRejected() {
    String web = bed.deploymentReady(2, d -> { });
    Hotfix h = bed.hotfix(web, "registry.example.com/web:1.1-hotfix.3", s -> { });
    h.getSpec().verification.checks = List.of(SandboxChecks.canaryErrorRate(web));

    Hotfix done = bed.runToEnd(h);

    assertThat(done.getStatus().phase).isEqualTo(Phase.Rejected);
    assertThat(done.getStatus().message).isEqualTo("check canary-errors uses {{canary}} or {{baseline}}, which only "
        + "a canary fills: add spec.rollout.canary, or write the query without them");
  }

  private static void assertNeverTouched(String web, long generation, RevisionPods pods) {
    assertThat(pods.minOldReadyBeforeRollout()).as("the old revision's ready pods, at every pod event")
        .isEqualTo(ScenarioBed.REPLICAS);
    assertThat(pods.newImagePods()).as("pods ever created with the new image: %s", pods.newImageEvents())
        .hasSize(1);
    bed.assertWrites(web, 0, 0, 0);
    assertThat(bed.deployment(web).getMetadata().getGeneration()).as("the Deployment's generation")
        .isEqualTo(generation);
  }

  /**
   * The verdict is recorded, and the longest exposure is the first pod's, from its creation to
   * the verdict (a failed one: the first pod still runs then).
   */
  private static void assertVerdictTimes(ExposureStatus e) {
    assertThat(e.longestExposureSeconds).as("first pod %s, verdict %s", e.firstPodCreatedAt, e.verdictAt)
        .isEqualTo(firstPodToVerdict(e));
  }

  private static long firstPodToVerdict(ExposureStatus e) {
    assertThat(e.verdictAt).isNotNull();
    assertThat(e.firstPodCreatedAt).isNotNull();
    return Duration.between(Instant.parse(e.firstPodCreatedAt), Instant.parse(e.verdictAt)).toSeconds();
  }

  /** The canary ReplicaSet and its pods are gone; the operator created and deleted it once each. */
  private static void assertCanaryGone(Hotfix done, long createsBefore) {
    String rs = done.getStatus().canary.replicaSet;
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(bed.client.apps().replicaSets().inNamespace(ScenarioBed.NS).withName(rs).get()).isNull();
      assertThat(bed.client.pods().inNamespace(ScenarioBed.NS).withLabel(CanaryReplicaSet.LABEL).list().getItems())
          .filteredOn(p -> p.getMetadata().getName().startsWith(rs + "-")).isEmpty();
    });
    assertThat(replicaSetCreates()).as("ReplicaSets the operator created in this test").isEqualTo(createsBefore + 1);
    assertThat(bed.operatorRequests()).filteredOn(r -> r.startsWith("DELETE /apis/apps/v1/namespaces/"
        + ScenarioBed.NS + "/replicasets/" + rs + " ")).hasSize(1);
  }

  /** The operator's ReplicaSet creations in this bed so far (the bed serves every test of the class). */
  private static long replicaSetCreates() {
    return bed.operatorRequests().stream()
        .filter(r -> r.startsWith("POST /apis/apps/v1/namespaces/" + ScenarioBed.NS + "/replicasets ")).count();
  }

  private static Hotfix canary(Hotfix h, String web, Object pods) {
    HotfixSpec spec = h.getSpec();
    spec.rollout.canary = new CanarySpec();
    spec.rollout.canary.pods = pods instanceof Integer i ? new IntOrString(i) : new IntOrString((String) pods);
    spec.rollout.canary.analysisSeconds = 4;
    spec.rollout.progressDeadlineSeconds = 60;
    spec.verification.bakeSeconds = 2;
    spec.verification.intervalSeconds = 1;
    spec.verification.checks = List.of(SandboxChecks.canaryErrorRate(web));
    return h;
  }

  /**
   * The pods of one Deployment as watch events show them, one event at a time: which pods ever
   * ran the new image (canary or not), and the fewest ready pods of the old revision at any event
   * before the Deployment's own new pods appeared (its rollout then replaces them by design).
   */
  private static final class RevisionPods implements AutoCloseable {
    private final String oldHash;
    private final String newImage;
    private final String deployment;
    private final Map<String, Pod> pods = new HashMap<>();
    private final Set<String> newImagePods = new HashSet<>();
    private final Set<String> canaryPods = new HashSet<>();
    /** What happened to the new image's pods, for the failure message. */
    private final List<String> newImageEvents = new java.util.ArrayList<>();
    private final SharedIndexInformer<Pod> informer;
    private boolean rolloutStarted;
    /** Whether the informer's initial list is in (its pods arrive one by one before). */
    private boolean judging;
    private int minOldReady = Integer.MAX_VALUE;

    RevisionPods(String deployment, String oldHash, String newImage) {
      this.deployment = deployment;
      this.oldHash = oldHash;
      this.newImage = newImage;
      this.informer = bed.client.pods().inNamespace(ScenarioBed.NS).inform(new ResourceEventHandler<>() {
        @Override
        public void onAdd(Pod pod) {
          seen(pod, false);
        }

        @Override
        public void onUpdate(Pod before, Pod after) {
          seen(after, false);
        }

        @Override
        public void onDelete(Pod pod, boolean unknown) {
          seen(pod, true);
        }
      }, 0);
      synchronized (this) {
        // the initial list's events are delivered after inform() returns: start from the synced cache
        informer.getStore().list().stream().filter(this::ofDeployment)
            .forEach(p -> pods.put(p.getMetadata().getName(), p));
        judging = true;
        judge();
      }
    }

    private synchronized void seen(Pod pod, boolean deleted) {
      String name = pod.getMetadata().getName();
      if (!ofDeployment(pod)) {
        return;
      }
      if (deleted) {
        pods.remove(name);
      } else {
        pods.put(name, pod);
      }
      Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
      if (newImage.equals(PodTemplates.images(templateOf(pod)).get("app"))) {
        if (newImagePods.add(name) || deleted) {
          newImageEvents.add(name + (deleted ? " deleted" : " created " + pod.getMetadata().getCreationTimestamp()
              + " owner " + pod.getMetadata().getOwnerReferences().get(0).getUid()));
        }

        if (labels.containsKey(CanaryReplicaSet.LABEL)) {
          canaryPods.add(name);
        } else {
          rolloutStarted = true;
        }
      }
      if (judging) {
        judge();
      }
    }

    /** The old revision's ready pods now, unless the Deployment's own rollout has begun. */
    private void judge() {
      if (!rolloutStarted) {
        int ready = (int) pods.values().stream()
            .filter(p -> oldHash.equals(p.getMetadata().getLabels().get(PodTemplates.HASH_LABEL)))
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null && Readiness.isPodReady(p)).count();
        minOldReady = Math.min(minOldReady, ready);

      }
    }

    private boolean ofDeployment(Pod pod) {
      return pod.getMetadata().getName().startsWith(deployment + "-");
    }

    private static io.fabric8.kubernetes.api.model.PodTemplateSpec templateOf(Pod pod) {
      return new io.fabric8.kubernetes.api.model.PodTemplateSpec(pod.getMetadata(), pod.getSpec());
    }

    synchronized Set<String> newImagePods() {
      return Set.copyOf(newImagePods);
    }

    synchronized List<String> newImageEvents() {
      return List.copyOf(newImageEvents);
    }

    synchronized Set<String> canaryPods() {
      return Set.copyOf(canaryPods);
    }

    synchronized int minOldReadyBeforeRollout() {
      return minOldReady;
    }

    @Override
    public void close() {
      informer.close();
    }
  }
}
