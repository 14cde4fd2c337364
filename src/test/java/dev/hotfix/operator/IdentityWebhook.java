package dev.hotfix.operator;

import dev.hotfix.testing.SelfSignedCertificate;
import dev.hotfix.webhook.AdmissionServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

/**
 * The operator's admission webhook over HTTPS, registered with the sandbox API server as the
 * Helm chart registers it (Mutating and ValidatingWebhookConfiguration with a caBundle): what
 * makes requester and approver identities verified in a scenario.
 */
final class IdentityWebhook {
  private IdentityWebhook() {
  }

  /**
   * Starts the webhook (reading policies as {@code operatorClient}) with a certificate in
   * {@code dir} and registers it as {@code admin}; the caller closes it.
   */
  static AdmissionServer startAndRegister(Path dir, KubernetesClient operatorClient, KubernetesClient admin)
      throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.forLoopback(dir, "webhook");
    certificate.writeTlsFiles(dir);
    AdmissionServer webhook = AdmissionServer.start(new InetSocketAddress("127.0.0.1", 0), dir.resolve("tls.crt"),
        dir.resolve("tls.key"), operatorClient);
    String caBundle = Base64.getEncoder().encodeToString(certificate.pem().getBytes(StandardCharsets.US_ASCII));
    String url = "https://127.0.0.1:" + webhook.port();
    admin.load(new ByteArrayInputStream("""
        apiVersion: admissionregistration.k8s.io/v1
        kind: MutatingWebhookConfiguration
        metadata: {name: hotfix-operator}
        webhooks:
          - name: identity.hotfix.dev
            clientConfig: {url: "%1$s/mutate", caBundle: %2$s}
            rules:
              - {apiGroups: [hotfix.dev], apiVersions: [v1alpha1], operations: [CREATE],
                 resources: [hotfixes, hotfixapprovals]}
            sideEffects: None
            admissionReviewVersions: [v1]
            failurePolicy: Fail
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingWebhookConfiguration
        metadata: {name: hotfix-operator}
        webhooks:
          - name: four-eyes.hotfix.dev
            clientConfig: {url: "%1$s/validate", caBundle: %2$s}
            rules:
              - {apiGroups: [hotfix.dev], apiVersions: [v1alpha1], operations: [CREATE, UPDATE],
                 resources: [hotfixes, hotfixapprovals]}
            sideEffects: None
            admissionReviewVersions: [v1]
            failurePolicy: Fail
        """.formatted(url, caBundle).getBytes(StandardCharsets.UTF_8))).create();
    return webhook;
  }
}
