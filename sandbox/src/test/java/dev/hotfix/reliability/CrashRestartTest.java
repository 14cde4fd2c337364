package dev.hotfix.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotfix.api.v1alpha1.CheckSpec;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.PrometheusCheck;
import dev.hotfix.operator.OperatorOptions;
import dev.hotfix.operator.ReconcileTuning;
import dev.hotfix.reliability.WriteLog.Boundary;
import dev.hotfix.rollout.HotfixAnnotations;
import dev.hotfix.sandbox.SandboxOptions;
import dev.hotfix.sandbox.prometheus.PrometheusServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, item 1: the operator dies at every boundary between its writes, a fresh operator
 * (new informers, new client, new metrics) takes over, and the Hotfix ends as if nothing had
 * happened: the Deployment patched exactly once, rolled back at most once, and the recorded
 * previous revision always the one that ran before.
 */
class CrashRestartTest {
  private static final String FIXED = "registry.example.com/web:1.1-hotfix.1";
  /** Every stored patch that sets a container image: the rollout. */
  private static final String IMAGE_PATCH = "/spec/template/spec/containers/0/image";
  /** Every stored patch that restores a whole pod template: the rollback. */
  private static final String TEMPLATE_RESTORE = "\"path\":\"/spec/template\",";
  private static ReliabilityBed bed;
  private static OperatorOptions withPrometheus;

  @BeforeAll
  static void start() {
    bed = new ReliabilityBed(SandboxOptions.defaults().withPodStartDelay(Duration.ofMillis(300)));
    withPrometheus = OperatorOptions.defaults().withPrometheusUrl(Optional.of(bed.sandbox.prometheusUrl()
        .orElseThrow(() -> new IllegalStateException("this test needs Prometheus: " + PrometheusServer.NOT_FOUND))));
  }

  @AfterAll
  static void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void crashAfterRecordingThePreviousRevisionBeforeThePatch() {
    WriteLog log = new WriteLog().crashAroundPatch(Boundary.BEFORE_DEPLOYMENT_PATCH, 1);
    String web = bed.deploymentReady(ReliabilityBed.REPLICAS, d -> { });

    Hotfix done = crashThenRestart(log, bed.hotfix(web, FIXED, s -> { }), crashed -> {
      assertThat(crashed.getStatus().phase).isEqualTo(Phase.RollingOut);
      assertThat(crashed.getStatus().previous).as("recorded before the crash").isNotNull();
      assertThat(bed.image(web)).as("not patched yet").isEqualTo(ReliabilityBed.GOOD);
    });

    assertSucceededWithOneRollout(web, done, log);
  }

  @Test
  void crashAfterThePatchBeforeTheStatusWrite() {
    WriteLog log = new WriteLog().crashAroundPatch(Boundary.AFTER_DEPLOYMENT_PATCH, 1);
    String web = bed.deploymentReady(ReliabilityBed.REPLICAS, d -> { });

    Hotfix done = crashThenRestart(log, bed.hotfix(web, FIXED, s -> { }), crashed -> {
      assertThat(crashed.getStatus().applied).as("the patch is not in status yet").isNull();
      assertThat(bed.image(web)).as("but it is on the Deployment").isEqualTo(FIXED);
    });

    assertSucceededWithOneRollout(web, done, log);
  }

  @Test
  void crashMidVerificationResumesTheFailureCounts() {
    WriteLog log = new WriteLog().crashAfterStatus(h -> h.getStatus().phase == Phase.Verifying
        && h.getStatus().checks != null && h.getStatus().checks.get(0).failed != null
        && h.getStatus().checks.get(0).failed >= 1);
    // one replica: the rollout is over long before the failures could add up to the limit
    String web = bed.deploymentReady(1, d -> { });
    SimpleMeterRegistry successorMeters = new SimpleMeterRegistry();
    Hotfix h = bed.hotfix(web, FIXED, s -> {
      s.verification.bakeSeconds = 60;
      CheckSpec alwaysFails = new CheckSpec();
      alwaysFails.name = "always-fails";
      alwaysFails.prometheus = new PrometheusCheck();
      alwaysFails.prometheus.query = "vector(1)";
      alwaysFails.failWhen = "> 0";
      alwaysFails.failureLimit = 8;
      s.verification.checks = List.of(alwaysFails);
    });
    int[] failedAtCrash = new int[1];

    Hotfix done = crashThenRestart(log, h, withPrometheus, withPrometheus.withMeters(successorMeters), crashed -> {
      assertThat(crashed.getStatus().phase).isEqualTo(Phase.Verifying);
      failedAtCrash[0] = crashed.getStatus().checks.get(0).failed;
    });

    assertThat(done.getStatus().phase).isEqualTo(Phase.RolledBack);
    assertThat(done.getStatus().checks.get(0).failed).as("counted on, not from zero").isEqualTo(9);
    assertThat(done.getStatus().rollbackReason).contains("failure 9 of limit 8");
    assertThat(successorMeters.get("hotfix.check.measurements").tag("result", "fail").counter().count())
        .as("the successor measured only the failures still missing").isEqualTo(9.0 - failedAtCrash[0]);
    assertThat(bed.rollouts(web)).containsExactly(ReliabilityBed.GOOD, FIXED, ReliabilityBed.GOOD);
    assertThat(log.patchesTouching(IMAGE_PATCH)).isEqualTo(1);
    assertThat(log.patchesTouching(TEMPLATE_RESTORE)).isEqualTo(1);
    bed.assertWrites(web, 1, 1, 1);
  }

  @Test
  void crashAfterTheRollbackPatchBeforeTheStatusWrite() {
    WriteLog log = new WriteLog().crashAroundPatch(Boundary.AFTER_DEPLOYMENT_PATCH, 2);
    String web = bed.deploymentReady(ReliabilityBed.REPLICAS, d -> { });
    String bad = "registry.example.com/web:1.1-pullerr";

    Hotfix done = crashThenRestart(log, bed.hotfix(web, bad, s -> { }), crashed -> {
      assertThat(crashed.getStatus().phase).isEqualTo(Phase.RollingBack);
      assertThat(crashed.getStatus().rollbackStartedAt).as("the rollback patch is not in status yet").isNull();
      assertThat(bed.image(web)).as("but it is on the Deployment").isEqualTo(ReliabilityBed.GOOD);
    });

    assertThat(done.getStatus().phase).isEqualTo(Phase.RolledBack);
    assertThat(done.getStatus().previous.images).singleElement()
        .satisfies(i -> assertThat(i.image).isEqualTo(ReliabilityBed.GOOD));
    assertThat(bed.rollouts(web)).as("rolled out once, rolled back once")
        .containsExactly(ReliabilityBed.GOOD, bad, ReliabilityBed.GOOD);
    assertThat(log.patchesTouching(IMAGE_PATCH)).isEqualTo(1);
    assertThat(log.patchesTouching(TEMPLATE_RESTORE)).as("never rolled back twice").isEqualTo(1);
    bed.assertWrites(web, 1, 1, 1);
  }

  @Test
  void crashRightAfterTheReleaseOfAGoodHotfix() {
    // patch 1 sets the images, patch 2 gives the Deployment back
    WriteLog log = new WriteLog().crashAroundPatch(Boundary.AFTER_DEPLOYMENT_PATCH, 2);
    String web = bed.deploymentReady(ReliabilityBed.REPLICAS, d -> { });

    Hotfix done = crashThenRestart(log, bed.hotfix(web, FIXED, s -> { }), crashed -> {
      assertThat(crashed.getStatus().phase).as("released only once Succeeded was stored")
          .isEqualTo(Phase.Succeeded);
      assertThat(crashed.getStatus().reportDigest).as("the report not written yet").isNull();
    });

    assertSucceededWithOneRollout(web, done, log);
    bed.assertFinished(done.getMetadata().getName(), web);
  }

  @Test
  void crashRightAfterTheTerminalStatusOfAGoodHotfixBeforeItsRelease() {
    WriteLog log = new WriteLog().crashAfterStatus(h -> h.getStatus().phase == Phase.Succeeded);
    String web = bed.deploymentReady(ReliabilityBed.REPLICAS, d -> { });

    Hotfix done = crashThenRestart(log, bed.hotfix(web, FIXED, s -> { }), crashed -> {
      assertThat(crashed.getStatus().release).as("the release recorded with the phase").isNotNull();
      assertThat(bed.deployment(web).getMetadata().getAnnotations()).as("still held at the crash")
          .containsKey(HotfixAnnotations.ACTIVE);
    });

    assertSucceededWithOneRollout(web, done, log);
    bed.assertFinished(done.getMetadata().getName(), web);
  }

  @Test
  void crashRightAfterTheReleaseOfABadHotfix() {
    // patch 1 sets the bad image, 2 restores the previous template, 3 gives the Deployment back
    WriteLog log = new WriteLog().crashAroundPatch(Boundary.AFTER_DEPLOYMENT_PATCH, 3);
    String web = bed.deploymentReady(ReliabilityBed.REPLICAS, d -> { });
    String bad = "registry.example.com/web:1.1-pullerr";

    Hotfix done = crashThenRestart(log, bed.hotfix(web, bad, s -> { }), crashed ->
        assertThat(crashed.getStatus().phase).as("released only once RolledBack was stored")
            .isEqualTo(Phase.RolledBack));

    assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(Phase.RolledBack);
    assertThat(bed.rollouts(web)).containsExactly(ReliabilityBed.GOOD, bad, ReliabilityBed.GOOD);
    bed.assertWrites(web, 1, 1, 1);
    Hotfix finished = bed.assertFinished(done.getMetadata().getName(), web);
    assertThat(finished.getStatus().rollbackReason).startsWith("pod_fault: ");
  }

  private Hotfix crashThenRestart(WriteLog log, Hotfix h, java.util.function.Consumer<Hotfix> atCrash) {
    OperatorOptions plain = OperatorOptions.defaults();
    return crashThenRestart(log, h, plain, plain, atCrash);
  }

  /** Runs {@code h} under an operator that dies where {@code log} says, then under a fresh one. */
  private Hotfix crashThenRestart(WriteLog log, Hotfix h, OperatorOptions first, OperatorOptions successor,
      java.util.function.Consumer<Hotfix> atCrash) {
    ReliabilityBed.Running dying = bed.startOperator(first, ReconcileTuning.defaults().withSeam(log));
    String name = bed.create(h);
    await().atMost(Duration.ofSeconds(30)).until(log::crashed);
    dying.close();
    atCrash.accept(bed.get(name));
    try (ReliabilityBed.Running fresh = bed.startOperator(successor, ReconcileTuning.defaults()
        .withSeam(log.survivor()))) {
      return bed.awaitTerminal(name);
    }
  }

  private static void assertSucceededWithOneRollout(String web, Hotfix done, WriteLog log) {
    assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(Phase.Succeeded);
    assertThat(bed.image(web)).isEqualTo(FIXED);
    assertThat(bed.rollouts(web)).as("one rollout").containsExactly(ReliabilityBed.GOOD, FIXED);
    assertThat(log.patchesTouching(IMAGE_PATCH)).as("patched exactly once").isEqualTo(1);
    bed.assertWrites(web, 1, 0, 1);
    assertThat(done.getStatus().previous.images).as("previous is what ran before, never the new image")
        .singleElement().satisfies(i -> assertThat(i.image).isEqualTo(ReliabilityBed.GOOD));
    assertThat(done.getStatus().applied.images).singleElement().satisfies(i -> assertThat(i.image).isEqualTo(FIXED));
  }
}
