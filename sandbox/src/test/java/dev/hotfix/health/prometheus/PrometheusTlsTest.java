package dev.hotfix.health.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotfix.health.Measurement;
import dev.hotfix.health.Measurement.Result;
import dev.hotfix.health.prometheus.StubPrometheus.Answer;
import dev.hotfix.health.Threshold;
import dev.hotfix.testing.SelfSignedCertificate;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus provider over TLS signed by a private CA: trusted with the CA bundle from the
 * policy's caSecretRef, refused (as a provider error) without it. The certificate is made by the
 * JDK's keytool for 127.0.0.1.
 */
class PrometheusTlsTest {
  @TempDir
  Path dir;
  private StubPrometheus stub;
  private String caPem;

  @BeforeEach
  void serveTls() throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.forLoopback(dir, "prometheus");
    caPem = certificate.pem();
    stub = StubPrometheus.startTls(certificate.serverContext());
    stub.answer("up", Answer.vector("0.01"));
  }

  @AfterEach
  void stop() {
    if (stub != null) {
      stub.close();
    }
  }

  @Test
  void theCustomCaMakesTheServerTrusted() {
    PrometheusApi api = StubPrometheus.client(stub.url(), Optional.empty(), Optional.of(caPem), Duration.ofSeconds(2));

    assertThat(check(api).measureAt(Instant.now()).result()).isEqualTo(Result.PASS);
  }

  @Test
  void withoutTheCaTheHandshakeFailsAsAProviderError() {
    PrometheusApi api = StubPrometheus.client(stub.url(), Optional.empty(), Optional.empty(), Duration.ofSeconds(2));

    Measurement m = check(api).measureAt(Instant.now());

    assertThat(m.result()).isEqualTo(Result.ERROR);
    assertThat(m.message()).contains("TLS handshake failed");
  }

  private static MetricCheck check(PrometheusApi api) {
    return new MetricCheck("error-rate", "up", Threshold.parse("> 0.05"), api);
  }
}
