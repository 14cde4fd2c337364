package dev.hotfix.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotfix.health.Measurement.Result;
import dev.hotfix.health.StubPrometheus.Answer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
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
  private static final String PASSWORD = "changeit";

  @TempDir
  Path dir;
  private StubPrometheus stub;
  private String caPem;

  @BeforeEach
  void serveTls() throws Exception {
    Path keystore = dir.resolve("server.p12");
    keytool("-genkeypair", "-alias", "prometheus", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-ext", "BC=ca:true", "-storetype", "PKCS12",
        "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
    Path pem = dir.resolve("ca.crt");
    keytool("-exportcert", "-rfc", "-alias", "prometheus", "-keystore", keystore.toString(), "-storepass", PASSWORD,
        "-file", pem.toString());
    caPem = Files.readString(pem);
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, PASSWORD.toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    stub = StubPrometheus.startTls(tls);
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
    PrometheusApi api = new PrometheusApi(stub.url(), Optional.empty(), Optional.of(caPem), Duration.ofSeconds(2));

    assertThat(check(api).measureAt(Instant.now()).result()).isEqualTo(Result.PASS);
  }

  @Test
  void withoutTheCaTheHandshakeFailsAsAProviderError() {
    PrometheusApi api = new PrometheusApi(stub.url(), Optional.empty(), Optional.empty(), Duration.ofSeconds(2));

    Measurement m = check(api).measureAt(Instant.now());

    assertThat(m.result()).isEqualTo(Result.ERROR);
    assertThat(m.message()).contains("unreachable");
  }

  private static void keytool(String... args) throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("keytool finished").isTrue();
    assertThat(p.exitValue()).as("keytool " + args[0] + ": " + output).isZero();
  }

  private static MetricCheck check(PrometheusApi api) {
    return new MetricCheck("error-rate", "up", Threshold.parse("> 0.05"), api);
  }
}
