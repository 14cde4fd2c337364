package dev.hotfix.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotfix.api.v1alpha1.CheckSpec;
import dev.hotfix.api.v1alpha1.CheckStatus;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixPolicy;
import dev.hotfix.api.v1alpha1.HotfixPolicySpec;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.PrometheusCheck;
import dev.hotfix.api.v1alpha1.PrometheusEndpoint;
import dev.hotfix.api.v1alpha1.SecretRef;
import dev.hotfix.health.prometheus.StubPrometheus.Answer;
import dev.hotfix.health.prometheus.StubPrometheus;
import dev.hotfix.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every kind of bad Prometheus answer, end to end on the sandbox with the operator in-process
 * and a local stub standing in for Prometheus: each ends as docs/verification.md says, and
 * none promotes a Hotfix, even when the bake period is over.
 */
class MetricCheckOutcomesTest {
  private static final SimpleMeterRegistry METERS = new SimpleMeterRegistry();
  private static StubPrometheus stub;
  private static ScenarioBed bed;

  @BeforeAll
  static void start() {
    stub = StubPrometheus.start();
    bed = new ScenarioBed(SandboxOptions.defaults().withPrometheus(false).withPodStartDelay(Duration.ofMillis(300)),
        OperatorOptions.defaults().withPrometheusUrl(Optional.of(stub.url())).withMeters(METERS));
  }

  @AfterAll
  static void stop() {
    if (bed != null) {
      bed.close();
    }
    if (stub != null) {
      stub.close();
    }
  }

  @AfterEach
  void noPolicyLeftBehind() {
    bed.client.resources(HotfixPolicy.class).inNamespace(ScenarioBed.NS).withName(HotfixPolicy.DEFAULT_NAME).delete();
  }

  /** A bad answer, the limits that make it decisive quickly, and what the rollback reason says. */
  enum BadResult {
    CONNECTION_REFUSED("failed to measure 2 times in a row (errorLimit 1", ": connection refused"),
    TIMEOUT("failed to measure 2 times in a row (errorLimit 1", "no complete answer within 1 s"),
    STATUS_ERROR_IN_HTTP_200("failed to measure 2 times in a row (errorLimit 1", "HTTP 200 execution from Prometheus"),
    EMPTY_VECTOR("had no data 2 times (noDataLimit 1", "empty result"),
    NAN("had no data 2 times (noDataLimit 1", "value NaN is not a measurement"),
    PLUS_INF("had no data 2 times (noDataLimit 1", "value +Inf is not a measurement"),
    SEVERAL_SERIES("failed to measure 2 times in a row (errorLimit 1", "3 series where one is expected"),
    FLAPPING("= 0.3 > 0.05 (failWhen \"> 0.05\", failure 2 of limit 1)", "");

    final String decisive;
    final String detail;

    BadResult(String decisive, String detail) {
      this.decisive = decisive;
      this.detail = detail;
    }
  }

  @ParameterizedTest
  @EnumSource(BadResult.class)
  void aBadResultPastItsLimitRollsBackAndNeverPromotes(BadResult bad) throws Exception {
    // FLAPPING's decisive failure is its fourth measurement, about 3 s in: later than a 4-pod
    // rollout takes, so its rollback used to restore the previous revision from zero pods, four
    // pods started one after another (maxSurge 1, maxUnavailable 0) against the fixture's 10 s
    // podReadyTimeout and 30 s deadline; on a busy machine that restore could outlast them and end
    // Failed (ROLLBACK FAILED). minReadySeconds keeps every new pod unavailable past that failure,
    // so the previous revision still serves all its pods when the rollback comes, as in the other
    // cases, and no check here depends on how fast the machine starts pods (without it, the
    // assertion on Verifying below was seen failing: Pending, RollingOut, Verifying, RollingBack).
    String web = bed.deploymentReady(d -> d.getSpec().setMinReadySeconds(bad == BadResult.FLAPPING ? 10 : 0));
    String query = "stub_" + bad.name().toLowerCase();
    Consumer<CheckSpec> limits = c -> {
      c.failureLimit = 1;
      c.noDataLimit = 1;
      c.errorLimit = 1;
    };
    switch (bad) {
      case CONNECTION_REFUSED -> policy(closedPort(), null);
      case TIMEOUT -> {
        policy(stub.url(), null);
        stub.answer(query, Answer.vector("0.01"), Answer.vector("0.01").after(Duration.ofSeconds(3)));
      }
      case STATUS_ERROR_IN_HTTP_200 -> stub.answer(query, Answer.error(200, "execution", "query timed out"));
      // the first answer goes to the pre-flight in Pending, which refuses a query that never has data
      case EMPTY_VECTOR -> stub.answer(query, Answer.vector("0.01"), Answer.vector());
      case NAN -> stub.answer(query, Answer.vector("0.01"), Answer.vector("NaN"));
      case PLUS_INF -> stub.answer(query, Answer.vector("0.01"), Answer.scalar("+Inf"));
      case SEVERAL_SERIES -> stub.answer(query, Answer.vector("0.01", "0.02", "0.5"));
      // the first answer goes to the pre-flight in Pending; then good and bad alternate
      case FLAPPING -> stub.answer(query, Answer.vector("0.01"), Answer.vector("0.01"), Answer.vector("0.2"),
          Answer.vector("0.01"), Answer.vector("0.3"), Answer.vector("0.01"));
      default -> throw new IllegalStateException();
    }
    // A pass before the bake ends would promote the flapping check; the others have no pass at all.
    int bake = bad == BadResult.FLAPPING ? 30 : 1;

    Hotfix done = bed.runToEnd(withCheck(bed.hotfix(web, "registry.example.com/web:1.1-hotfix.1",
        s -> s.verification.bakeSeconds = bake), "verdict", query, "> 0.05", limits));

    assertThat(done.getStatus().phase).as("phase (message: %s)", done.getStatus().message).isEqualTo(Phase.RolledBack);
    assertThat(bed.phases(done)).doesNotContain(Phase.Succeeded);
    if (bad == BadResult.FLAPPING) {
      assertThat(bed.phases(done)).as("rolled back while the previous revision still served").doesNotContain(
          Phase.Verifying);
    }
    assertThat(done.getStatus().rollbackReason).startsWith("check: verdict").contains(bad.decisive, bad.detail);
    assertThat(bed.images(web)).containsEntry("app", ScenarioBed.GOOD);
    assertThat(done.getStatus().conditions).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Verified");
      assertThat(c.getStatus()).isEqualTo("False");
      assertThat(c.getReason()).isEqualTo("CheckFailed");
    });
    CheckStatus tally = done.getStatus().checks.get(0);
    switch (bad) {
      case EMPTY_VECTOR, NAN, PLUS_INF -> assertThat(tally.noData).isEqualTo(2);
      case FLAPPING -> {
        assertThat(tally.failed).isEqualTo(2);
        assertThat(tally.passed).isGreaterThanOrEqualTo(1);
      }
      default -> assertThat(tally.consecutiveErrors).isEqualTo(2);
    }
    // FLAPPING's answers after the pre-flight query: pass, fail, pass, fail (the limit): two passes
    assertThat(tally.passed).as("no data and errors never count as passes")
        .isEqualTo(bad == BadResult.FLAPPING ? 2 : 0);
  }

  @Test
  void badPromqlIsRejectedBeforeAnythingChanges() {
    String web = bed.deploymentReady(d -> { });
    String rv = bed.deployment(web).getMetadata().getResourceVersion();
    stub.answer("sum(rate(x[1m])", Answer.error(400, "bad_data", "1:15: parse error: unclosed left parenthesis"));

    Hotfix done = bed.runToEnd(withCheck(bed.hotfix(web, "registry.example.com/web:1.1-hotfix.1", s -> { }),
        "error-rate", "sum(rate(x[1m])", "> 0.05", c -> { }));

    assertThat(done.getStatus().phase).isEqualTo(Phase.Rejected);
    assertThat(done.getStatus().message).contains("check error-rate: Prometheus refused the query",
        "HTTP 400 bad_data from Prometheus", "fix spec.verification.checks[].prometheus.query");
    assertThat(bed.deployment(web).getMetadata().getResourceVersion()).isEqualTo(rv);
  }

  @Test
  void aPassingCheckSucceedsThroughThePolicysPrometheusWithoutLeakingItsToken() {
    String web = bed.deploymentReady(d -> { });
    String query = "stub_passing";
    stub.answer(query, Answer.vector("0.0012"));
    bed.client.resource(new SecretBuilder().withNewMetadata().withName("prom-auth").withNamespace(ScenarioBed.NS)
        .endMetadata().withStringData(Map.of("token", "tok-do-not-leak")).build()).create();
    policy(stub.url(), "prom-auth");
    double measuredBefore = METERS.counter("hotfix.check.measurements", "result", "pass").count();

    Hotfix done = bed.runToEnd(withCheck(bed.hotfix(web, "registry.example.com/web:1.1-hotfix.1",
        s -> s.verification.bakeSeconds = 2), "error-rate", query, "> 0.05", c -> { }));

    assertThat(done.getStatus().phase).isEqualTo(Phase.Succeeded);
    CheckStatus tally = done.getStatus().checks.get(0);
    assertThat(tally.name).isEqualTo("error-rate");
    assertThat(tally.passed).isGreaterThanOrEqualTo(2);
    assertThat(tally.lastValue).isEqualTo("0.0012");
    assertThat(tally.failed + tally.noData + tally.errors).isZero();
    assertThat(done.getStatus().conditions).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Verified");
      assertThat(c.getStatus()).isEqualTo("True");
    });
    assertThat(stub.authorizations()).contains("Bearer tok-do-not-leak");
    String events = Serialization.asJson(bed.client.v1().events().inNamespace(ScenarioBed.NS).list());
    assertThat(Serialization.asJson(done) + events).doesNotContain("tok-do-not-leak");
    assertThat(METERS.counter("hotfix.check.measurements", "result", "pass").count())
        .isGreaterThanOrEqualTo(measuredBefore + 2);
  }

  @Test
  void rollbacksByACheckAreTimedFromDetectionToThePatch() {
    String web = bed.deploymentReady(d -> { });
    stub.answer("stub_high", Answer.vector("0.01"), Answer.vector("0.4812"));
    long before = METERS.timer("hotfix.detection.to.rollback").count();

    Hotfix done = bed.runToEnd(withCheck(bed.hotfix(web, "registry.example.com/web:1.1-hotfix.1",
        s -> s.verification.bakeSeconds = 30), "error-rate", "stub_high", "> 0.05", c -> { }));

    assertThat(done.getStatus().rollbackReason)
        .isEqualTo("check: error-rate = 0.4812 > 0.05 (failWhen \"> 0.05\", failure 1 of limit 0)");
    assertThat(METERS.timer("hotfix.detection.to.rollback").count()).isEqualTo(before + 1);
    assertThat(METERS.counter("hotfix.check.measurements", "result", "fail").count()).isGreaterThanOrEqualTo(1);
  }

  private static Hotfix withCheck(Hotfix h, String name, String query, String failWhen, Consumer<CheckSpec> tune) {
    CheckSpec c = new CheckSpec();
    c.name = name;
    c.prometheus = new PrometheusCheck();
    c.prometheus.query = query;
    c.failWhen = failWhen;
    tune.accept(c);
    h.getSpec().verification.checks = List.of(c);
    return h;
  }

  /** The namespace's HotfixPolicy, pointing metric checks at {@code url} with a 1 s timeout. */
  private static void policy(URI url, String authSecret) {
    HotfixPolicy p = new HotfixPolicy();
    p.getMetadata().setName(HotfixPolicy.DEFAULT_NAME);
    p.getMetadata().setNamespace(ScenarioBed.NS);
    p.setSpec(new HotfixPolicySpec());
    p.getSpec().prometheus = new PrometheusEndpoint();
    p.getSpec().prometheus.url = url.toString();
    p.getSpec().prometheus.timeoutSeconds = 1;
    if (authSecret != null) {
      p.getSpec().prometheus.authSecretRef = new SecretRef();
      p.getSpec().prometheus.authSecretRef.name = authSecret;
    }
    bed.client.resource(p).create();
  }

  private static URI closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + s.getLocalPort());
    }
  }
}
