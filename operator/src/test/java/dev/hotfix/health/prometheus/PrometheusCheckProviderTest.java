package dev.hotfix.health.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotfix.health.Measurement;
import dev.hotfix.health.Measurement.Result;
import dev.hotfix.health.MetricSourceException;
import dev.hotfix.health.prometheus.StubPrometheus.Answer;
import dev.hotfix.health.Threshold;
import dev.hotfix.outbound.EndpointAllowList;
import dev.hotfix.outbound.EndpointGuard;
import dev.hotfix.outbound.OutboundHttp;
import dev.hotfix.outbound.OutboundSettings;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus provider against a local stub: every kind of bad answer becomes the documented
 * measurement, with a short message that carries no response body beyond a trimmed error text.
 */
class PrometheusCheckProviderTest {
  private static final String QUERY = "sum(rate(http_requests_total{code=~\"5..\"}[1m]))";
  private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

  private final StubPrometheus stub = StubPrometheus.start();
  private final PrometheusApi api = StubPrometheus.client(stub.url(), Optional.empty(), Optional.empty(),
      Duration.ofSeconds(1));
  private final MetricCheck check = checkAgainst(api);

  @AfterEach
  void stop() {
    stub.close();
  }

  @Test
  void aValueUnderTheThresholdPassesAndOneOverItFails() {
    stub.answer(QUERY, Answer.vector("0.01"), Answer.scalar("0.4812"));

    Measurement pass = check.measureAt(NOW);
    Measurement fail = check.measureAt(NOW);

    assertThat(pass.result()).isEqualTo(Result.PASS);
    assertThat(pass.valueText()).isEqualTo("0.01");
    assertThat(fail.result()).isEqualTo(Result.FAIL);
    assertThat(fail.message()).isEqualTo("0.4812 > 0.05");
  }

  @Test
  void anEmptyVectorNanAndInfinityAreNoData() {
    stub.answer(QUERY, Answer.vector(), Answer.vector("NaN"), Answer.vector("+Inf"), Answer.scalar("-Inf"));

    assertThat(check.measureAt(NOW)).satisfies(m -> {
      assertThat(m.result()).isEqualTo(Result.NO_DATA);
      assertThat(m.valueText()).isEmpty();
    });
    assertThat(check.measureAt(NOW).valueText()).isEqualTo("NaN");
    assertThat(check.measureAt(NOW)).satisfies(m -> {
      assertThat(m.result()).isEqualTo(Result.NO_DATA);
      assertThat(m.valueText()).isEqualTo("+Inf");
    });
    assertThat(check.measureAt(NOW).result()).isEqualTo(Result.NO_DATA);
  }

  @Test
  void severalSeriesWhereOneIsExpectedIsAnError() {
    stub.answer(QUERY, Answer.vector("0.01", "0.9"));

    Measurement m = check.measureAt(NOW);

    assertThat(m.result()).isEqualTo(Result.ERROR);
    assertThat(m.message()).contains("2 series where one is expected");
  }

  @Test
  void badPromqlIsARefusedQueryAndAnErrorMeasurement() {
    stub.answer(QUERY, Answer.error(400, "bad_data", "1:5: parse error: unexpected right parenthesis"));

    Measurement m = check.measureAt(NOW);

    assertThat(m.result()).isEqualTo(Result.ERROR);
    // Prometheus' own words are not repeated: a fixed description of what happened
    assertThat(m.message()).isEqualTo("HTTP 400 bad_data from Prometheus at " + stub.url().getAuthority());
    assertThat(refused(() -> api.query(QUERY))).isTrue();
  }

  @Test
  void statusErrorInAnHttp200IsAnErrorWithoutTheServersText() {
    stub.answer(QUERY, Answer.error(200, "execution", "x".repeat(5000)));

    Measurement m = check.measureAt(NOW);

    assertThat(m.result()).isEqualTo(Result.ERROR);
    assertThat(m.message()).isEqualTo("HTTP 200 execution from Prometheus at " + stub.url().getAuthority());
  }

  @Test
  void anHttpErrorWithoutTheJsonEnvelopeIsAnErrorWithoutTheBody() {
    stub.answer(QUERY, new Answer(502, "<html>upstream secret page</html>", Duration.ZERO));

    Measurement m = check.measureAt(NOW);

    assertThat(m.result()).isEqualTo(Result.ERROR);
    assertThat(m.message()).contains("HTTP 502").doesNotContain("secret");
  }

  @Test
  void aSlowPrometheusIsAnErrorAfterTheClientTimeout() {
    stub.answer(QUERY, Answer.vector("0.01").after(Duration.ofSeconds(10)));

    Measurement m = check.measureAt(NOW);

    // the client's 1 s timeout decided, not the 10 s answer (how fast is the benchmark's to say)
    assertThat(m.result()).isEqualTo(Result.ERROR);
    assertThat(m.message()).contains("no complete answer within 1 s");
  }

  @Test
  void aRefusedConnectionIsAnError() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    PrometheusApi nowhere = StubPrometheus.client(URI.create("http://127.0.0.1:" + closedPort), Optional.empty(),
        Optional.empty(), Duration.ofSeconds(1));

    Measurement m = checkAgainst(nowhere).measureAt(NOW);

    assertThat(m.result()).isEqualTo(Result.ERROR);
    assertThat(m.message()).isEqualTo("Prometheus at 127.0.0.1:" + closedPort + ": connection refused");
  }

  @Test
  void credentialsGoInTheAuthorizationHeaderOnly() {
    stub.answer(QUERY, Answer.vector("0.01"));
    PrometheusApi basic = StubPrometheus.client(stub.url(), Optional.of(PrometheusApi.basic("hotfix", "s3cret")),
        Optional.empty(), Duration.ofSeconds(1));
    PrometheusApi bearer = StubPrometheus.client(stub.url(), Optional.of(PrometheusApi.bearer("tok3n\n")),
        Optional.empty(), Duration.ofSeconds(1));

    Measurement m = checkAgainst(basic).measureAt(NOW);
    checkAgainst(bearer).measureAt(NOW);

    assertThat(stub.authorizations()).containsExactly("Basic aG90Zml4OnMzY3JldA==", "Bearer tok3n");
    assertThat(m.message() + basic + bearer).doesNotContain("s3cret", "tok3n", "aG90Zml4");
  }

  /** Credentials go only to hosts the operator's administrator allowed; a public host gets the query without them. */
  @Test
  void credentialsAreNotSentToAHostThatIsNotAllowed() {
    EndpointGuard publicOnly = new EndpointGuard(EndpointAllowList.NONE, host -> new InetAddress[] {
        InetAddress.getByAddress(host, new byte[] {93, (byte) 184, (byte) 216, 34})});
    PrometheusApi api = new PrometheusApi(URI.create("https://metrics.example.com"),
        Optional.of(PrometheusApi.bearer("tok3n")), Optional.empty(), new OutboundHttp.Limits(Duration.ofSeconds(1),
        OutboundSettings.DEFAULT_MAX_BODY_BYTES), publicOnly);

    Measurement m = checkAgainst(api).measureAt(NOW);

    assertThat(m.result()).isEqualTo(Result.ERROR);
    assertThat(m.message()).isEqualTo("credentials are sent only to allowed endpoints: allow metrics.example.com "
        + "with run --allow-endpoint (chart value outbound.allowEndpoints)");
  }

  private static boolean refused(Runnable query) {
    try {
      query.run();
      return false;
    } catch (MetricSourceException e) {
      return e.isQueryRejected();
    }
  }

  private static MetricCheck checkAgainst(PrometheusApi source) {
    return new MetricCheck("error-rate", QUERY, Threshold.parse("> 0.05"), source);
  }
}
