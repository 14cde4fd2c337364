package dev.hotfix.operator;

import dev.hotfix.policy.IdentityProofs;
import dev.hotfix.testing.SelfSignedCertificate;
import dev.hotfix.testing.WebhookRegistration;
import dev.hotfix.webhook.AdmissionServer;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The operator's admission webhook for a {@link ScenarioBed}: served over HTTPS with a
 * certificate made for 127.0.0.1, signing with {@code proofs}, trusting status writes only from
 * the sandbox's admin (the user the bed's operator writes as), and registered with the sandbox
 * API server as the Helm chart registers it (Mutating and ValidatingWebhookConfiguration with a
 * caBundle, the status subresources included).
 */
final class AdmissionWebhookBed implements AutoCloseable {
  /** The user the bed's operator authenticates as (the written kubeconfig's, without credentials). */
  static final String OPERATOR_USER = "sandbox-admin";

  private final ScenarioBed bed;
  private final AdmissionServer server;
  private final String certificatePem;

  AdmissionWebhookBed(ScenarioBed bed, Path dir, IdentityProofs proofs) throws Exception {
    this(bed, dir, proofs, bed.client, OPERATOR_USER);
  }

  /** A webhook serving as the operator that reads with {@code operatorClient} and writes as {@code operatorUser}. */
  AdmissionWebhookBed(ScenarioBed bed, Path dir, IdentityProofs proofs, KubernetesClient operatorClient,
      String operatorUser) throws Exception {
    this.bed = bed;
    SelfSignedCertificate certificate = SelfSignedCertificate.forLoopback(dir, "webhook");
    certificate.writeTlsFiles(dir);
    server = AdmissionServer.start(new InetSocketAddress("127.0.0.1", 0), dir.resolve("tls.crt"),
        dir.resolve("tls.key"), operatorClient, proofs, operatorUser);
    certificatePem = certificate.pem();
  }

  /** Registers the webhook configurations the Helm chart renders, pointing at this server. */
  AdmissionWebhookBed register() {
    String url = "https://127.0.0.1:" + server.port();
    bed.client.load(new ByteArrayInputStream(WebhookRegistration.yaml(url, certificatePem)
        .getBytes(StandardCharsets.UTF_8))).create();
    return this;
  }

  /** A client acting as {@code user} in {@code group}, as {@code kubectl --as --as-group} sends it. */
  KubernetesClient as(String user, String group) {
    return new KubernetesClientBuilder().withConfig(new ConfigBuilder(bed.client.getConfiguration())
        .withImpersonateUsername(user).withImpersonateGroups(group).build()).build();
  }

  @Override
  public void close() {
    server.close();
  }
}
