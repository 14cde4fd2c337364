package dev.hotfix.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.operator.OperatorOptions;
import dev.hotfix.sandbox.SandboxOptions;
import dev.hotfix.sandbox.api.ApiRequest;
import dev.hotfix.sandbox.api.WriteOptions;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, item 2: the API server fails the operator's writes (409, 5xx beyond the retry
 * budget, timeouts) and drops its watches. Every Hotfix still ends where it should, the
 * Deployment is patched once, and no watcher ever sees a Hotfix's phase go backwards.
 */
class ApiFaultTest {
  private static final String FIXED = "registry.example.com/web:1.1-hotfix.1";
  private static ReliabilityBed bed;
  private static ReliabilityBed.Running operator;

  @BeforeAll
  static void start() {
    bed = new ReliabilityBed(SandboxOptions.defaults().withPrometheus(false).withPodStartDelay(Duration.ofMillis(300)));
    operator = bed.startOperator(OperatorOptions.defaults(), ReliabilityBed.QUICK_RETRIES);
  }

  @AfterEach
  void clearFaults() {
    bed.faults().clear();
  }

  @AfterAll
  static void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void conflictsOnTheDeploymentPatchAreReadAgainAndDecidedAgain() {
    String web = bed.deploymentReady(ReliabilityBed.REPLICAS, d -> { });
    int before = bed.faults().injected();
    bed.faults().fail(patchOf(web), 409, 3);

    Hotfix done = bed.awaitTerminal(bed.create(bed.hotfix(web, FIXED, s -> { })));

    assertThat(bed.faults().injected() - before).isEqualTo(3);
    assertEndedOnce(web, done);
  }

  @Test
  void conflictsOnTheStatusWriteNeverMoveTheStatusBackwards() {
    String web = bed.deploymentReady(ReliabilityBed.REPLICAS, d -> { });
    Hotfix h = bed.hotfix(web, FIXED, s -> { });
    int before = bed.faults().injected();
    // every other status write of this Hotfix is refused, ten times
    bed.faults().fail(statusOf(h.getMetadata().getName()), 409, 10);

    Hotfix done = bed.awaitTerminal(bed.create(h));

    assertThat(bed.faults().injected() - before).isEqualTo(10);
    assertEndedOnce(web, done);
  }

  @Test
  void serverErrorsBeyondTheRetryBudgetAreReportedAndRetriedNotParked() {
    String web = bed.deploymentReady(ReliabilityBed.REPLICAS, d -> { });
    bed.faults().fail(patchOf(web), 503, 10_000);
    String name = bed.create(bed.hotfix(web, FIXED, s -> { }));

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(warnings(name)).anySatisfy(e -> assertThat(e.getMessage())
          .contains("the Kubernetes API answered HTTP 503: injected fault", "tries again every 1s"));
      assertThat(bed.get(name).getStatus().message).contains("could not finish a step", "phase RollingOut is kept");
    });
    // past the budget, still trying: the failing patch keeps coming
    int failing = bed.faults().injected();
    await().atMost(Duration.ofSeconds(10)).until(() -> bed.faults().injected() > failing + 2);
    assertThat(bed.phaseOf(name)).isEqualTo(Phase.RollingOut);
    bed.faults().clear();

    Hotfix done = bed.awaitTerminal(name);
    assertEndedOnce(web, done);
  }

  @Test
  void aServerErrorOnTheTerminalStatusWriteIsDecidedAgainNotSuperseded() {
    String web = bed.deploymentReady(ReliabilityBed.REPLICAS, d -> { });
    Hotfix h = bed.hotfix(web, FIXED, s -> { });
    String name = h.getMetadata().getName();
    int before = bed.faults().injected();
    // twice: the operator's client retries a 5xx once by itself, the reconcile sees the second
    bed.faults().fail(r -> statusOf(name).test(r) && r.body().contains("\"phase\":\"Succeeded\""), 503, 2);

    Hotfix done = bed.awaitTerminal(bed.create(h));

    assertThat(bed.faults().injected() - before).as("the Succeeded write failed, and its retry").isEqualTo(2);
    assertEndedOnce(web, done);
    bed.assertFinished(name, web);
    List<Event> succeeded = phaseEvents(name, "Succeeded");
    assertThat(succeeded).as("one Succeeded Event").singleElement()
        .satisfies(e -> assertThat(e.getCount()).as("recorded once").isEqualTo(1));
  }

  @Test
  void aPatchThatTimesOutButLandsLaterIsNotAppliedTwice() {
    String web = bed.deploymentReady(ReliabilityBed.REPLICAS, d -> { });
    // longer than the operator's 2 s request timeout: the client gives up, the server applies it anyway
    bed.faults().delay(patchOf(web), Duration.ofSeconds(3), 1);

    Hotfix done = bed.awaitTerminal(bed.create(bed.hotfix(web, FIXED, s -> { })));

    assertEndedOnce(web, done);
  }

  @Test
  void droppedWatchesAreRelistedAndTheRolloutIsStillFollowed() {
    String web = bed.deploymentReady(ReliabilityBed.REPLICAS, d -> { });
    String name = bed.create(bed.hotfix(web, FIXED, s -> { }));
    await().atMost(Duration.ofSeconds(20)).until(() -> FIXED.equals(bed.image(web)));
    int before = bed.faults().injected();

    // the rollout proceeds while no watcher can see it
    bed.faults().dropWatches(Duration.ofSeconds(3));

    Hotfix done = bed.awaitTerminal(name);
    assertThat(bed.faults().injected() - before).as("watches dropped or refused").isPositive();
    assertEndedOnce(web, done);
  }

  /**
   * A Deployment and its Hotfix created together (one kubectl apply, a GitOps sync): the
   * operator's Deployment watch delivers the Deployment after the Hotfix's watch delivers the
   * Hotfix. The Hotfix waits for it, then ships. Seen failing (Rejected: "Deployment ... not
   * found") with PendingHandler trusting its cache alone.
   */
  @Test
  void aDeploymentCreatedWithItsHotfixIsWaitedForWhenItsWatchLags() {
    lagDeploymentWatches();
    String web = bed.createDeployment(ReliabilityBed.REPLICAS, d -> { });
    String name = bed.create(bed.hotfix(web, FIXED, s -> { }));

    awaitPending(name, message -> assertThat(message).isEqualTo("waiting for the operator's watch of Deployment "
        + web + " to deliver it (the API server has it, created just before this Hotfix)"));
    bed.faults().clear();

    assertEndedOnce(web, bed.awaitTerminal(name));
  }

  /**
   * The owner resumes a paused Deployment and applies a Hotfix in one go while the operator's
   * Deployment watch is behind: the cached copy still says paused, the server's generation is
   * newer, and the Hotfix waits for the watch instead of being refused. Seen failing (Rejected:
   * "paused") with the generation check off.
   */
  @Test
  void aRefusalForWhatAStaleCacheShowsWaitsForTheWatch() {
    String web = bed.deploymentReady(ReliabilityBed.REPLICAS, d -> { });
    bed.client.apps().deployments().inNamespace(ReliabilityBed.NS).withName(web)
        .edit(d -> new DeploymentBuilder(d).editSpec().withPaused(true).endSpec().build());
    // the operator's cache has the paused Deployment once it refuses a Hotfix for it
    Hotfix refused = bed.awaitTerminal(bed.create(bed.hotfix(web, FIXED, s -> { })));
    assertThat(refused.getStatus().phase).isEqualTo(Phase.Rejected);
    assertThat(refused.getStatus().message).contains("paused");

    lagDeploymentWatches();
    bed.client.apps().deployments().inNamespace(ReliabilityBed.NS).withName(web)
        .edit(d -> new DeploymentBuilder(d).editSpec().withPaused(false).endSpec().build());
    String name = bed.create(bed.hotfix(web, FIXED, s -> { }));

    awaitPending(name, message -> assertThat(message).startsWith("waiting for the operator's watch of Deployment "
        + web + " to deliver its latest spec (generation "));
    bed.faults().clear();

    assertEndedOnce(web, bed.awaitTerminal(name));
  }

  /** Every Deployment watch, the operator's too, 2 s behind the others. */
  private static void lagDeploymentWatches() {
    bed.faults().lagWatches(r -> r.path().endsWith("/deployments"), Duration.ofSeconds(2));
  }

  /** Waits until Hotfix {@code name} is Pending with a message {@code message} accepts. */
  private static void awaitPending(String name, Consumer<String> message) {
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      Hotfix h = bed.get(name);
      assertThat(h.getStatus()).isNotNull();
      assertThat(h.getStatus().phase).as(h.getStatus().message).isEqualTo(Phase.Pending);
      message.accept(h.getStatus().message);
    });
  }

  private static void assertEndedOnce(String web, Hotfix done) {
    String name = done.getMetadata().getName();
    assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(Phase.Succeeded);
    assertThat(bed.image(web)).isEqualTo(FIXED);
    assertThat(bed.rollouts(web)).containsExactly(ReliabilityBed.GOOD, FIXED);
    // counted where they land: a timed-out patch the server applied anyway, then sent again, is two
    bed.assertWrites(web, 1, 0, 1);
    assertThat(done.getStatus().previous.images).singleElement()
        .satisfies(i -> assertThat(i.image).isEqualTo(ReliabilityBed.GOOD));
    assertThat(List.of(Phase.Pending, Phase.RollingOut, Phase.Verifying, Phase.Succeeded))
        .as("status never went backwards: %s", bed.phasesServed(name)).containsSubsequence(bed.phasesServed(name));
  }

  private static List<Event> warnings(String hotfix) {
    return bed.client.v1().events().inNamespace(ReliabilityBed.NS).list().getItems().stream()
        .filter(e -> hotfix.equals(e.getInvolvedObject().getName()) && "RetriesExhausted".equals(e.getReason()))
        .toList();
  }

  private static List<Event> phaseEvents(String hotfix, String phase) {
    await().atMost(Duration.ofSeconds(10)).until(() -> bed.client.v1().events().inNamespace(ReliabilityBed.NS).list()
        .getItems().stream().anyMatch(e -> hotfix.equals(e.getInvolvedObject().getName())
            && phase.equals(e.getReason())));
    return bed.client.v1().events().inNamespace(ReliabilityBed.NS).list().getItems().stream()
        .filter(e -> hotfix.equals(e.getInvolvedObject().getName()) && phase.equals(e.getReason())).toList();
  }

  /** The operator's real patches of the Deployment (not pre-flight's dry run of it). */
  private static Predicate<ApiRequest> patchOf(String deployment) {
    return r -> r.method().equals("PATCH") && r.path().endsWith("/deployments/" + deployment)
        && !WriteOptions.isDryRun(r.query());
  }

  private static Predicate<ApiRequest> statusOf(String hotfix) {
    return r -> r.method().equals("PUT") && r.path().endsWith("/hotfixes/" + hotfix + "/status");
  }
}
