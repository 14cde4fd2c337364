package dev.hotfix.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The operator's admission webhook configurations as the Helm chart renders them (mutating for
 * the identity stamps, validating for the four-eyes rules and status writes), pointing at a
 * webhook server on {@code url} whose certificate is {@code certificatePem}.
 */
public final class WebhookRegistration {
  private WebhookRegistration() {
  }

  /** Both configurations as one YAML stream, for {@code kubectl apply -f} or a client's {@code load}. */
  public static String yaml(String url, String certificatePem) {
    String caBundle = Base64.getEncoder().encodeToString(certificatePem.getBytes(StandardCharsets.US_ASCII));
    return """
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
                 resources: [hotfixes, hotfixapprovals, hotfixes/status, hotfixapprovals/status]}
            sideEffects: None
            admissionReviewVersions: [v1]
            failurePolicy: Fail
        """.formatted(url, caBundle);
  }
}
