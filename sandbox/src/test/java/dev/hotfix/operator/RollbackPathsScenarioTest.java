package dev.hotfix.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixPolicy;
import dev.hotfix.api.v1alpha1.HotfixPolicySpec;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.RollbackSpec;
import dev.hotfix.api.v1alpha1.SafetyLimits;
import dev.hotfix.report.IncidentReport;
import dev.hotfix.rollout.HotfixAnnotations;
import dev.hotfix.sandbox.cluster.InjectedCrash;
import dev.hotfix.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rollback paths and promises beyond the happy ones, end to end on the sandbox: automatic
 * rollback off, a pruned previous ReplicaSet, the deadline, a restored revision that is itself
 * unhealthy (ROLLBACK FAILED), the owner's strategy and a rich pod template restored exactly,
 * Events and kstatus conditions per phase, no ownerReference, and an idle operator that asks the
 * API nothing.
 */
class RollbackPathsScenarioTest {
  private static final String FIXED = "registry.example.com/web:1.1-hotfix.1";
  private static final SimpleMeterRegistry METERS = new SimpleMeterRegistry();
  private static ScenarioBed bed;

  @BeforeAll
  static void start() {
    bed = new ScenarioBed(SandboxOptions.defaults().withPrometheus(false).withPodStartDelay(Duration.ofMillis(300)),
        OperatorOptions.defaults().withMeters(METERS));
  }

  @AfterAll
  static void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  /** rollback.automatic: false needs a policy that allows it (the built-in one refuses it). */
  @Test
  void automaticRollbackOffEndsFailedAndLeavesTheNewRevisionForAHuman() {
    HotfixPolicy policy = new HotfixPolicy();
    policy.getMetadata().setName(HotfixPolicy.DEFAULT_NAME);
    policy.getMetadata().setNamespace(ScenarioBed.NS);
    policy.setSpec(new HotfixPolicySpec());
    policy.getSpec().limits = new SafetyLimits();
    policy.getSpec().limits.allowDisablingAutomaticRollback = true;
    bed.client.resource(policy).create();
    try {
      automaticRollbackOff();
    } finally {
      bed.client.resource(policy).delete();
    }
  }

  private static void automaticRollbackOff() {
    String web = bed.deploymentReady(d -> { });
    String bad = "registry.example.com/web:1.1-crashloop";

    Hotfix done = bed.runToEnd(bed.hotfix(web, bad, s -> {
      s.rollback = new RollbackSpec();
      s.rollback.automatic = false;
    }));

    assertThat(done.getStatus().phase).isEqualTo(Phase.Failed);
    assertThat(done.getStatus().message).contains("automatic rollback is off (spec.rollback.automatic: false)");
    assertThat(bed.image(web)).as("the new revision is left in place").isEqualTo(bad);
    assertThat(bed.phases(done)).containsSubsequence(Phase.RollingOut, Phase.Failed).doesNotContain(Phase.RollingBack);
    assertThat(condition(done, Conditions.STALLED)).isEqualTo("True");
    assertThat(condition(done, Conditions.RECONCILING)).isEqualTo("False");
    bed.assertAvailabilityNeverDropped(web);
    bed.assertWrites(web, 1, 0, 1);
  }

  @Test
  void aPrunedPreviousReplicaSetEndsFailedWithWhatToRestoreByHand() {
    String web = bed.deploymentReady(d -> { });
    String previousHash = bed.currentHash(web);
    String name = bed.create(bed.hotfix(web, "registry.example.com/web:1.1-unready",
        s -> s.rollout.podReadyTimeoutSeconds = 4));
    // patched, and its new ReplicaSet created: the old one is now only history
    await().atMost(Duration.ofSeconds(20)).until(() -> bed.writes(web).apply() == 1
        && bed.client.apps().replicaSets().inNamespace(ScenarioBed.NS).list().getItems().stream()
            .filter(rs -> rs.getMetadata().getName().startsWith(web + "-")).count() == 2);
    // what revisionHistoryLimit pruning (or a person) does to the old ReplicaSet
    ReplicaSet previous = bed.client.apps().replicaSets().inNamespace(ScenarioBed.NS)
        .withLabel("pod-template-hash", previousHash).list().getItems().get(0);
    bed.client.apps().replicaSets().inNamespace(ScenarioBed.NS).withName(previous.getMetadata().getName()).delete();

    Hotfix done = bed.awaitTerminal(name);

    assertThat(done.getStatus().phase).isEqualTo(Phase.Failed);
    assertThat(done.getStatus().message).startsWith("cannot roll back: ReplicaSet " + previous.getMetadata().getName())
        .contains("no longer exists", "restore app=" + ScenarioBed.GOOD);
    assertThat(bed.image(web)).isEqualTo("registry.example.com/web:1.1-unready");
    bed.assertWrites(web, 1, 0, 0);
  }

  /**
   * ROLLBACK FAILED: the revision a rollback restores is itself unhealthy. A good image rolls out
   * (pod-level availability judged from the patch through the whole rollout); then, during the
   * bake, both revisions start crashing ({@link InjectedCrash} on their ReplicaSets: the old
   * revision cannot run against what the new one changed, a schema migration say). The new pods'
   * crash rolls back; the restored revision's pods crash as well, so the Hotfix ends {@code Failed}
   * with {@code ROLLBACK FAILED}, a Warning Event, {@code Stalled}, the {@code hotfix_phase} series
   * the HotfixRollbackFailed alert fires on, and the incident report saying so; the Deployment
   * keeps the restored template and the operator's record of what it replaced, for a human.
   *
   * <p>Seen failing with the product's handling broken: with RollingBackHandler taking the
   * restored revision's failed verdict for healthy, the Hotfix ended RolledBack.
   */
  @Test
  void aRestoredRevisionThatCrashesTooEndsRollbackFailed() {
    String web = bed.deploymentReady(d -> { });
    String previousRs = replicaSetOf(bed.currentHash(web));
    double podFaultRollbacks = METERS.counter("hotfix.rollbacks", "reason", "pod_fault").count();
    String name = bed.create(bed.hotfix(web, FIXED, s -> s.verification.bakeSeconds = 300));
    bed.awaitPhase(name, Phase.Verifying);
    bed.assertAvailabilityNeverDropped(web); // what follows is the injected fault's doing, not the operator's
    String appliedRs = replicaSetOf(bed.currentHash(web));

    crashFromNow(previousRs);
    crashFromNow(appliedRs);
    Hotfix done = bed.awaitTerminal(name);

    assertThat(done.getStatus().phase).isEqualTo(Phase.Failed);
    assertThat(done.getStatus().rollbackReason).startsWith("pod_fault: pod " + appliedRs + "-");
    assertThat(done.getStatus().message).startsWith("ROLLBACK FAILED: the restored revision ")
        .contains("(ReplicaSet " + previousRs + ") did not become healthy: pod " + previousRs + "-",
            "needs a human now");
    assertThat(bed.phases(done)).containsSubsequence(Phase.RollingOut, Phase.Verifying, Phase.RollingBack,
        Phase.Failed).doesNotContain(Phase.RolledBack);
    assertThat(condition(done, Conditions.STALLED)).isEqualTo("True");
    assertThat(condition(done, Conditions.RECONCILING)).isEqualTo("False");
    assertThat(done.getStatus().conditions).filteredOn(c -> Conditions.ROLLED_BACK.equals(c.getType()))
        .singleElement().satisfies(c -> assertThat(c.getStatus() + " " + c.getReason())
            .isEqualTo("False RollbackFailed"));
    // what the kubelet reported: the restored pods crash as any crash loop does
    assertThat(bed.client.pods().inNamespace(ScenarioBed.NS).list().getItems()).filteredOn(p -> p.getMetadata()
        .getName().startsWith(previousRs + "-")).isNotEmpty().allSatisfy(p -> {
          ContainerStatus app = p.getStatus().getContainerStatuses().get(0);
          assertThat(app.getReady()).isFalse();
          assertThat(app.getRestartCount()).isPositive();
          assertThat(app.getLastState().getTerminated().getReason()).isEqualTo("Error");
        });
    Deployment after = bed.deployment(web);
    assertThat(bed.image(web)).as("the restored template stays").isEqualTo(ScenarioBed.GOOD);
    assertThat(after.getMetadata().getAnnotations()).as("the record of what was replaced, for the runbook")
        .containsKey(HotfixAnnotations.PREVIOUS_REVISION).doesNotContainKey(HotfixAnnotations.LAST_GOOD);
    bed.assertWrites(web, 1, 1, 0);
    // how people hear of it: a Warning Event, the alerting series, the incident report
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events(name)).contains("Warning Failed"));
    assertThat(METERS.get("hotfix.phase").tags("name", name, "phase", "Failed").gauge().value())
        .as("hotfix_phase{phase=\"Failed\"}: what HotfixRollbackFailed fires on").isEqualTo(1.0);
    assertThat(METERS.counter("hotfix.rollbacks", "reason", "pod_fault").count()).isEqualTo(podFaultRollbacks + 1);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(report(name))
        .contains("**ROLLBACK FAILED**", "| Time to restore (rollout started → previous revision healthy again) | "
            + "never (the Hotfix ended Failed) |"));
  }

  @Test
  void theProgressDeadlineRollsBackAndTheOwnersStrategyIsRestored() {
    String web = bed.deploymentReady(d -> {
      d.getSpec().getStrategy().getRollingUpdate().setMaxSurge(new IntOrString("25%"));
      d.getSpec().setProgressDeadlineSeconds(900);
    });
    Deployment before = bed.deployment(web);

    // pods are given 60 s to be ready, the rollout only 5: the deadline decides
    Hotfix done = bed.runToEnd(bed.hotfix(web, "registry.example.com/web:1.1-unready", s -> {
      s.rollout.podReadyTimeoutSeconds = 60;
      s.rollout.progressDeadlineSeconds = 5;
    }));

    assertThat(done.getStatus().phase).isEqualTo(Phase.RolledBack);
    assertThat(done.getStatus().rollbackReason).startsWith("deadline: ");
    Deployment after = bed.deployment(web);
    assertThat(after.getSpec().getStrategy()).as("the owner's strategy, not the Hotfix's")
        .isEqualTo(before.getSpec().getStrategy());
    assertThat(after.getSpec().getProgressDeadlineSeconds()).isEqualTo(900);
    assertThat(condition(done, Conditions.ROLLED_BACK)).isEqualTo("True");
    bed.assertAvailabilityNeverDropped(web);
    bed.assertWrites(web, 1, 1, 1);
  }

  @Test
  void aRichTemplateIsRestoredFieldByField() {
    String web = bed.deploymentReady(d -> richTemplate(d.getSpec().getTemplate()));
    PodTemplateSpec before = bed.deployment(web).getSpec().getTemplate();
    assertThat(before.getSpec().getContainers()).hasSize(2);

    Hotfix done = bed.runToEnd(bed.hotfix(web, "registry.example.com/web:1.1-crashloop", s -> { }));

    assertThat(done.getStatus().phase).isEqualTo(Phase.RolledBack);
    PodTemplateSpec after = bed.deployment(web).getSpec().getTemplate();
    assertThat(after).usingRecursiveComparison().ignoringFields("metadata.labels.pod-template-hash")
        .isEqualTo(before);
    assertThat(after.getMetadata().getLabels()).doesNotContainKey("pod-template-hash");
    bed.assertAvailabilityNeverDropped(web);
    bed.assertWrites(web, 1, 1, 1);
  }

  @Test
  void everyPhaseIsAnEventAndTheConditionsFollowKstatus() {
    String web = bed.deploymentReady(d -> { });
    String name = bed.create(bed.hotfix(web, FIXED, s -> s.verification.bakeSeconds = 3));

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      Hotfix h = bed.get(name);
      assertThat(h.getStatus()).isNotNull();
      assertThat(h.getStatus().phase).isIn(Phase.RollingOut, Phase.Verifying);
      assertThat(condition(h, Conditions.RECONCILING)).isEqualTo("True");
      assertThat(condition(h, Conditions.READY)).isEqualTo("False");
      assertThat(bed.deployment(web).getMetadata().getOwnerReferences()).as("never owned, even mid-flight")
          .isNullOrEmpty();
    });
    Hotfix done = bed.awaitTerminal(name);

    assertThat(done.getStatus().phase).isEqualTo(Phase.Succeeded);
    assertThat(condition(done, Conditions.READY)).isEqualTo("True");
    assertThat(condition(done, Conditions.RECONCILING)).isEqualTo("False");
    assertThat(condition(done, Conditions.STALLED)).isEqualTo("False");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events(name))
        .containsSubsequence("Normal RollingOut", "Normal Verifying", "Normal Succeeded"));
    assertThat(bed.deployment(web).getMetadata().getOwnerReferences()).isNullOrEmpty();
    bed.assertWrites(web, 1, 0, 1);
  }

  /**
   * Idle means idle: with only a finished Hotfix, its Deployment scaled down and up again (an
   * HPA) reaches the operator, which reconciles and asks the API server nothing. Measured over
   * the reconciles those events caused, not over a stretch of wall-clock time.
   */
  @Test
  void anIdleOperatorMakesNoApiRequests() {
    String web = bed.deploymentReady(d -> { });
    Hotfix done = bed.runToEnd(bed.hotfix(web, FIXED, s -> { }));
    assertThat(done.getStatus().phase).isEqualTo(Phase.Succeeded);
    String name = done.getMetadata().getName();
    // the end's own aftermath first: the incident report written, the finalizer let go
    await().atMost(Duration.ofSeconds(10)).until(() -> bed.client.configMaps().inNamespace(ScenarioBed.NS)
        .withName(IncidentReport.configMapName(name)).get() != null
        && bed.get(name).getMetadata().getFinalizers().isEmpty());
    double reconcilesBefore = reconciles();
    int requestsBefore = bed.operatorRequests().size();

    bed.client.apps().deployments().inNamespace(ScenarioBed.NS).withName(web).scale(2);
    bed.awaitAvailable(web, 2);
    bed.client.apps().deployments().inNamespace(ScenarioBed.NS).withName(web).scale(ScenarioBed.REPLICAS);
    bed.awaitAvailable(web, ScenarioBed.REPLICAS);
    await().atMost(Duration.ofSeconds(10)).until(() -> reconciles() >= reconcilesBefore + 2);

    List<String> requests = bed.operatorRequests();
    assertThat(requests.subList(requestsBefore, requests.size())).as("API requests of an idle operator").isEmpty();
  }

  private static double reconciles() {
    return METERS.find("operator.sdk.reconciliations.started").counters().stream()
        .mapToDouble(c -> c.count()).sum();
  }

  /** Two containers, env, resources, probes, ports, volumes and their mounts, template annotations. */
  private static void richTemplate(PodTemplateSpec t) {
    t.getMetadata().setAnnotations(Map.of("prometheus.io/scrape", "true", "team", "checkout"));
    t.getMetadata().getLabels().put("tier", "web");
    t.getSpec().getContainers().get(0).setEnv(List.of(
        new io.fabric8.kubernetes.api.model.EnvVar("MODE", "production", null)));
    t.getSpec().getContainers().get(0).setResources(new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity("100m")).addToLimits("memory", new Quantity("256Mi")).build());
    t.getSpec().getContainers().get(0).setReadinessProbe(new io.fabric8.kubernetes.api.model.ProbeBuilder()
        .withNewHttpGet().withPath("/healthz").withPort(new IntOrString(8080)).endHttpGet()
        .withPeriodSeconds(5).build());
    t.getSpec().getContainers().get(0).setPorts(List.of(new io.fabric8.kubernetes.api.model.ContainerPortBuilder()
        .withName("http").withContainerPort(8080).build()));
    t.getSpec().getContainers().get(0).setVolumeMounts(List.of(new io.fabric8.kubernetes.api.model.VolumeMountBuilder()
        .withName("cache").withMountPath("/var/cache/app").build()));
    t.getSpec().getContainers().add(new ContainerBuilder().withName("log-shipper")
        .withImage("registry.example.com/log-shipper:3.2").withArgs("--input", "/var/log/app")
        .withNewLivenessProbe().withNewExec().withCommand("true").endExec().endLivenessProbe()
        .addNewVolumeMount().withName("cache").withMountPath("/var/log/app").withReadOnly(true).endVolumeMount()
        .build());
    t.getSpec().setVolumes(List.of(new io.fabric8.kubernetes.api.model.VolumeBuilder().withName("cache")
        .withNewEmptyDir().withSizeLimit(new Quantity("1Gi")).endEmptyDir().build()));
  }

  /** The ReplicaSet of the bed's Deployment with this pod-template-hash. */
  private static String replicaSetOf(String podTemplateHash) {
    return bed.client.apps().replicaSets().inNamespace(ScenarioBed.NS).withLabel("pod-template-hash", podTemplateHash)
        .list().getItems().get(0).getMetadata().getName();
  }

  /** From now on the ReplicaSet's pods crash, as a user of the sandbox does it with kubectl annotate. */
  private static void crashFromNow(String replicaSet) {
    bed.client.apps().replicaSets().inNamespace(ScenarioBed.NS).withName(replicaSet)
        .edit(rs -> new ReplicaSetBuilder(rs).editMetadata()
            .addToAnnotations(InjectedCrash.ANNOTATION, Instant.now().toString()).endMetadata().build());
  }

  /** The incident report of a Hotfix, empty until written. */
  private static String report(String hotfix) {
    ConfigMap cm = bed.client.configMaps().inNamespace(ScenarioBed.NS).withName(IncidentReport.configMapName(hotfix))
        .get();
    return cm == null ? "" : cm.getData().get(IncidentReport.KEY);
  }

  private static String condition(Hotfix h, String type) {
    Optional<Condition> c = h.getStatus().conditions.stream().filter(x -> type.equals(x.getType())).findFirst();
    return c.map(Condition::getStatus).orElse("absent");
  }

  /** The Hotfix's Events as "type reason", oldest first. */
  private static List<String> events(String hotfix) {
    return bed.client.v1().events().inNamespace(ScenarioBed.NS).list().getItems().stream()
        .filter(e -> hotfix.equals(e.getInvolvedObject().getName()))
        .sorted(java.util.Comparator.comparing(Event::getLastTimestamp))
        .map(e -> e.getType() + " " + e.getReason()).toList();
  }
}
