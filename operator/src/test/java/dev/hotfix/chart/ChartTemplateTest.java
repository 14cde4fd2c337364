package dev.hotfix.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import dev.hotfix.json.KubernetesJson;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code helm template} with the default values and with non-default ones renders Kubernetes
 * objects that say what the chart promises: the operator's command line, the restricted pod
 * security profile, the webhook wiring (cert-manager or one's own certificate) and the Prometheus
 * Operator objects only where they can exist.
 */
class ChartTemplateTest {
  private static final String WEBHOOK_CERT_SECRET = "hotfix-operator-webhook-cert";
  /** The webhook's flags: its certificate, the identity key, and the ServiceAccount that alone writes status. */
  private static final String WEBHOOK_ARGS = " --webhook-port 9443 --webhook-tls-cert /tls/tls.crt --webhook-tls-key "
      + "/tls/tls.key --identity-key-file /identity/key --operator-user system:serviceaccount:hotfix-system:"
      + "hotfix-operator";

  /** Every values combination the chart documents, each rendered and checked on its own. */
  static Stream<Named<RenderedChart>> everyValuesCombination() {
    return Stream.of(
        Named.of("default values", RenderedChart.render()),
        Named.of("namespaced, webhook with a cert-manager issuer, monitoring",
            RenderedChart.render("values-namespaced.yaml")),
        Named.of("webhook with own certificate", RenderedChart.render("values-webhook-secret.yaml")),
        Named.of("webhook with a self-signed cert-manager issuer",
            RenderedChart.render(List.of(), Map.of("webhook.certManager.force", true))),
        Named.of("webhook off", RenderedChart.render(List.of(), Map.of("webhook.enabled", false))),
        Named.of("one replica, existing service account", RenderedChart.render(List.of(),
            Map.of("serviceAccount.create", false, "serviceAccount.name", "existing", "leaderElection.enabled", false,
                "replicaCount", 1, "podDisruptionBudget.enabled", false))));
  }

  @ParameterizedTest
  @MethodSource("everyValuesCombination")
  void podRunsUnderTheRestrictedProfile(RenderedChart chart) {
    PodSpec pod = chart.deployment().getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getContainers()).hasSize(1);
    Container operator = pod.getContainers().get(0);
    var container = operator.getSecurityContext();
    assertThat(container.getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getRunAsNonRoot()).isTrue();
    assertThat(container.getPrivileged()).isNotEqualTo(Boolean.TRUE);
    assertThat(container.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(container.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    // The read-only root needs a writable /tmp for the JVM.
    assertThat(operator.getVolumeMounts()).anySatisfy(m -> {
      assertThat(m.getMountPath()).isEqualTo("/tmp");
      Volume tmp = pod.getVolumes().stream().filter(v -> v.getName().equals(m.getName())).findFirst().orElseThrow();
      assertThat(tmp.getEmptyDir()).isNotNull();
    });
    assertThat(pod.getVolumes()).allSatisfy(v -> assertThat(v.getHostPath()).isNull());
    assertThat(operator.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(operator.getResources().getLimits()).containsKey("memory");
  }

  @Test
  void defaultsRunTwoReplicasWithLeaderElectionAndTheProbes() {
    RenderedChart chart = RenderedChart.render();
    assertThat(chart.deployment().getSpec().getReplicas()).isEqualTo(2);
    assertThat(String.join(" ", chart.operatorArgs())).isEqualTo("run --leader-election --leader-election-namespace "
        + RenderedChart.NAMESPACE + " --metrics-port 8080 --health-port 8081 --log-format json --exclude-namespace "
        + "kube-system --exclude-namespace kube-public --exclude-namespace kube-node-lease --exclude-namespace "
        + RenderedChart.NAMESPACE + " --max-response-bytes 4194304" + WEBHOOK_ARGS);
    Container operator = chart.deployment().getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(operator.getImage()).isEqualTo("hotfix-operator:0.1.0");
    assertThat(operator.getEnv()).filteredOn(e -> e.getName().equals("POD_NAMESPACE")).singleElement()
        .satisfies(e -> assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace"));
    assertThat(operator.getEnv()).filteredOn(e -> e.getName().equals("JAVA_TOOL_OPTIONS")).singleElement()
        .extracting(EnvVar::getValue).asString().contains("-XX:MaxRAMPercentage=");
    // the probes on their own port, which scrapes of /metrics cannot hold up
    assertThat(operator.getPorts()).extracting(ContainerPort::getName, ContainerPort::getContainerPort)
        .contains(tuple("metrics", 8080), tuple("health", 8081));
    assertThat(List.of(operator.getLivenessProbe(), operator.getReadinessProbe(), operator.getStartupProbe()))
        .extracting(p -> p.getHttpGet().getPath(), p -> p.getHttpGet().getPort().getStrVal())
        .containsExactly(tuple("/healthz", "health"), tuple("/readyz", "health"), tuple("/healthz", "health"));
    assertThat(chart.all(NetworkPolicy.class)).as("off by default").isEmpty();

    assertThat(chart.all(PodDisruptionBudget.class)).singleElement()
        .satisfies(pdb -> assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1));
    assertThat(chart.all(Service.class)).singleElement().satisfies(s -> assertThat(s.getSpec().getPorts())
        .extracting(ServicePort::getName, ServicePort::getPort).containsExactly(tuple("metrics", 8080),
            tuple("webhook", 443)));
    // the webhook is on by default; without cert-manager served, Helm generates its certificate
    assertServesWebhookFrom(chart, "hotfix-operator-webhook-tls");
    assertThat(chart.generic("Certificate")).isEmpty();
    assertThat(chart.generic("ServiceMonitor")).isEmpty();
    assertThat(chart.generic("PrometheusRule")).isEmpty();
  }

  /** Seen failing (no exclusion) without the range over excludeNamespaces in deployment.yaml. */
  @Test
  void theReleaseNamespaceStaysExcludedWhateverTheList() {
    RenderedChart chart = RenderedChart.render(List.of(), Map.of("excludeNamespaces[0]", RenderedChart.NAMESPACE,
        "excludeNamespaces[1]", "batch"));
    assertThat(String.join(" ", chart.operatorArgs())).contains("--log-format json --exclude-namespace "
        + RenderedChart.NAMESPACE + " --exclude-namespace batch --max-response-bytes");
  }

  @Test
  void monitoringObjectsNeedThePrometheusOperatorApiOrForce() {
    // helm template offline has no cluster whose API versions include monitoring.coreos.com/v1.
    Map<String, Object> enabled = Map.of("serviceMonitor.enabled", true, "prometheusRule.enabled", true);
    RenderedChart withoutApi = RenderedChart.render(List.of(), enabled);
    assertThat(withoutApi.generic("ServiceMonitor")).isEmpty();
    assertThat(withoutApi.generic("PrometheusRule")).isEmpty();

    RenderedChart forced = RenderedChart.render(List.of(),
        Map.of("serviceMonitor.enabled", true, "prometheusRule.enabled", true, "monitoringApi.force", true));
    assertThat(forced.generic("ServiceMonitor")).singleElement().satisfies(sm -> {
      assertThat(sm.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
      assertThat(sm.getAdditionalProperties().toString()).contains("port=metrics", "path=/metrics", "honorLabels=true");
    });
    assertThat(forced.generic("PrometheusRule")).singleElement()
        .satisfies(rule -> assertThat(rule.getApiVersion()).isEqualTo("monitoring.coreos.com/v1"));
  }

  /** The Grafana dashboard ships only when asked for, labelled for Grafana's sidecar, the chart's JSON unchanged. */
  @Test
  void theDashboardConfigMapIsRenderedOnlyWhenEnabled() throws Exception {
    assertThat(RenderedChart.render().all(ConfigMap.class)).noneMatch(cm -> cm.getMetadata().getName()
        .endsWith("-dashboard"));

    RenderedChart enabled = RenderedChart.render(List.of(), Map.of("dashboards.enabled", true,
        "dashboards.annotations.grafana_folder", "Operators"));
    ConfigMap dashboard = enabled.all(ConfigMap.class).stream()
        .filter(cm -> cm.getMetadata().getName().equals(RenderedChart.RELEASE + "-dashboard")).findFirst()
        .orElseThrow();
    assertThat(dashboard.getMetadata().getNamespace()).isEqualTo(RenderedChart.NAMESPACE);
    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    assertThat(dashboard.getMetadata().getAnnotations()).containsEntry("grafana_folder", "Operators");
    JsonNode shipped = KubernetesJson.MAPPER.readTree(dashboard.getData().get("hotfix-operator.json"));
    assertThat(shipped).isEqualTo(KubernetesJson.MAPPER.readTree(
        RenderedChart.CHART.resolve("dashboards/hotfix-operator.json").toFile()));
    assertThat(shipped.path("uid").asText()).isEqualTo("hotfix-operator");

    RenderedChart elsewhere = RenderedChart.render(List.of(), Map.of("dashboards.enabled", true,
        "dashboards.namespace", "monitoring"));
    assertThat(elsewhere.all(ConfigMap.class)).filteredOn(cm -> cm.getMetadata().getName().endsWith("-dashboard"))
        .singleElement().satisfies(cm -> assertThat(cm.getMetadata().getNamespace()).isEqualTo("monitoring"));
  }

  @Test
  void namespacedModeWatchesTheListedNamespacesWithTheWebhookAndPrometheus() {
    RenderedChart chart = RenderedChart.render("values-namespaced.yaml");
    assertThat(chart.deployment().getSpec().getReplicas()).isEqualTo(3);
    assertThat(String.join(" ", chart.operatorArgs())).isEqualTo("run --leader-election --leader-election-namespace "
        + RenderedChart.NAMESPACE + " --metrics-port 8080 --health-port 8081 --log-format text -n shop -n payments"
        + " --prometheus-url http://prometheus-operated.monitoring:9090"
        + " --allow-endpoint prometheus-operated.monitoring --allow-endpoint 10.96.0.0/12 --max-response-bytes 8388608"
        + WEBHOOK_ARGS);
    assertServesWebhookFrom(chart, "hotfix-operator-webhook-tls");

    // cert-manager with the named issuer: a Certificate for the Service's DNS name, no own Issuer.
    assertThat(chart.generic("Issuer")).isEmpty();
    GenericKubernetesResource certificate = chart.generic("Certificate").get(0);
    assertThat(certificate.getAdditionalProperties().get("spec").toString())
        .contains("secretName=hotfix-operator-webhook-tls", "hotfix-operator.hotfix-system.svc",
            "issuerRef={kind=ClusterIssuer, name=internal-ca}");
    String injectFrom = RenderedChart.NAMESPACE + "/" + certificate.getMetadata().getName();
    assertThat(chart.all(MutatingWebhookConfiguration.class).get(0).getMetadata().getAnnotations())
        .containsEntry("cert-manager.io/inject-ca-from", injectFrom);
    assertThat(chart.all(ValidatingWebhookConfiguration.class).get(0).getMetadata().getAnnotations())
        .containsEntry("cert-manager.io/inject-ca-from", injectFrom);
    // Admission only where the operator acts.
    assertThat(chart.all(ValidatingWebhookConfiguration.class).get(0).getWebhooks().get(0).getNamespaceSelector()
        .getMatchExpressions().get(0).getValues()).containsExactly("shop", "payments");
    assertThat(chart.generic("ServiceMonitor")).singleElement()
        .satisfies(sm -> assertThat(sm.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack"));
    assertThat(chart.generic("PrometheusRule")).singleElement()
        .satisfies(rule -> assertThat(rule.getAdditionalProperties().toString()).contains("for=45m"));
  }

  @Test
  void webhookWithCertManagerAndNoIssuerCreatesASelfSignedOne() {
    RenderedChart chart = RenderedChart.render(List.of(), Map.of("webhook.certManager.force", true));
    GenericKubernetesResource issuer = chart.generic("Issuer").get(0);
    assertThat(issuer.getAdditionalProperties().get("spec")).isEqualTo(Map.of("selfSigned", Map.of()));
    assertThat(chart.generic("Certificate").get(0).getAdditionalProperties().get("spec").toString())
        .contains("issuerRef={kind=Issuer, name=" + issuer.getMetadata().getName() + "}");
    assertServesWebhookFrom(chart, "hotfix-operator-webhook-tls");
  }

  @Test
  void webhookWithOwnCertificateUsesTheSecretAndCaBundle() {
    RenderedChart chart = RenderedChart.render("values-webhook-secret.yaml");
    assertThat(chart.generic("Certificate")).isEmpty();
    assertThat(chart.generic("Issuer")).isEmpty();
    assertServesWebhookFrom(chart, WEBHOOK_CERT_SECRET);
    var mutating = chart.all(MutatingWebhookConfiguration.class).get(0);
    var validating = chart.all(ValidatingWebhookConfiguration.class).get(0);
    assertThat(mutating.getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(mutating.getWebhooks().get(0).getClientConfig().getCaBundle()).startsWith("LS0tLS1CRUdJTi");
    assertThat(validating.getWebhooks().get(0).getClientConfig().getCaBundle()).startsWith("LS0tLS1CRUdJTi");
    assertThat(validating.getWebhooks().get(0).getFailurePolicy()).isEqualTo("Ignore");
  }

  @Test
  void webhookWithOwnSecretButNoCaBundleSaysWhatToSet() {
    assertThatThrownBy(() -> RenderedChart.render(List.of(), Map.of("webhook.tls.secretName", "mine")))
        .hasMessageContaining("webhook.tls.secretName needs webhook.tls.caBundle");
  }

  @Test
  void withoutCertManagerHelmGeneratesTheCertificateAndTheIdentityKey() {
    RenderedChart chart = RenderedChart.render();
    Secret tls = chart.all(Secret.class).stream().filter(s -> s.getMetadata().getName().equals(
        "hotfix-operator-webhook-tls")).findFirst().orElseThrow();
    String ca = tls.getData().get("ca.crt");
    assertThat(tls.getType()).isEqualTo("kubernetes.io/tls");
    assertThat(new String(Base64.getDecoder().decode(tls.getData().get("tls.crt")))).startsWith("-----BEGIN CERTIFICATE");
    assertThat(chart.all(MutatingWebhookConfiguration.class).get(0).getWebhooks().get(0).getClientConfig().getCaBundle())
        .as("the API server trusts the generated CA").isEqualTo(ca);
    assertThat(chart.all(ValidatingWebhookConfiguration.class).get(0).getWebhooks().get(0).getClientConfig()
        .getCaBundle()).isEqualTo(ca);
    Secret key = chart.all(Secret.class).stream().filter(s -> s.getMetadata().getName().equals(
        "hotfix-operator-identity-key")).findFirst().orElseThrow();
    assertThat(Base64.getDecoder().decode(key.getData().get("key"))).hasSizeGreaterThanOrEqualTo(32);
    assertThat(key.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");

    RenderedChart own = RenderedChart.render(List.of(), Map.of("webhook.identityKey.secretName", "my-key"));
    assertThat(own.all(Secret.class)).noneMatch(s -> s.getMetadata().getName().endsWith("identity-key"));
    assertThat(own.deployment().getSpec().getTemplate().getSpec().getVolumes())
        .filteredOn(v -> v.getName().equals("identity-key")).singleElement()
        .satisfies(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("my-key"));
  }

  @Test
  void withTheWebhookOffNothingOfItIsRendered() {
    RenderedChart chart = RenderedChart.render(List.of(), Map.of("webhook.enabled", false));
    assertThat(chart.all(MutatingWebhookConfiguration.class)).isEmpty();
    assertThat(chart.all(ValidatingWebhookConfiguration.class)).isEmpty();
    assertThat(chart.all(Secret.class)).isEmpty();
    assertThat(String.join(" ", chart.operatorArgs())).doesNotContain("--webhook", "--identity-key-file");
  }

  @Test
  void notesSayHowToCheckItShipAFirstHotfixAndFindTheMetrics() {
    String notes = new Helm(RenderedChart.CHART).install().withName(RenderedChart.RELEASE)
        .withNamespace(RenderedChart.NAMESPACE).set("serviceMonitor.enabled", true).dryRun().clientOnly().call()
        .getOutput();
    assertThat(notes).contains("kubectl -n hotfix-system rollout status deployment/hotfix-operator",
        "kubectl -n hotfix-system get lease hotfix-operator", "kind: Hotfix", "kubectl -n shop apply -f hotfix.yaml",
        "http://hotfix-operator.hotfix-system.svc:8080/metrics",
        // Enabled but not rendered: the notes say why rather than leave a silent gap.
        "so they were NOT created");
  }

  @Test
  void replicasWithoutLeaderElectionAreRefused() {
    assertThatThrownBy(() -> RenderedChart.render(List.of(), Map.of("leaderElection.enabled", false)))
        .hasMessageContaining("replicaCount > 1 needs leaderElection.enabled=true");
  }

  /**
   * On request, only the traffic the operator needs: the API server to the webhook, the
   * monitoring namespace to /metrics, the kubelet to the probes; out, the API server, DNS, the
   * listed Prometheus and notification receivers.
   */
  @Test
  void networkPolicyLetsInOnlyTheApiServerMonitoringAndKubeletAndOutOnlyWhatIsListed() {
    RenderedChart chart = RenderedChart.render(List.of(), Map.of("networkPolicy.enabled", true, "webhook.enabled", true,
        "networkPolicy.apiServer.cidrs[0]", "10.0.0.10/32", "networkPolicy.kubelet.cidrs[0]", "10.1.0.0/16",
        "networkPolicy.notifications[0].ports[0].port", 443));
    NetworkPolicy policy = chart.all(NetworkPolicy.class).get(0);
    assertThat(policy.getSpec().getPodSelector().getMatchLabels())
        .isEqualTo(chart.deployment().getSpec().getSelector().getMatchLabels());
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");

    List<NetworkPolicyIngressRule> in = policy.getSpec().getIngress();
    assertThat(in).extracting(r -> r.getPorts().get(0).getPort().getIntVal()).containsExactly(9443, 8080, 8081);
    assertThat(in.get(0).getFrom()).singleElement()
        .satisfies(peer -> assertThat(peer.getIpBlock().getCidr()).isEqualTo("10.0.0.10/32"));
    assertThat(in.get(1).getFrom()).singleElement().satisfies(peer -> assertThat(peer.getNamespaceSelector()
        .getMatchLabels()).containsEntry("kubernetes.io/metadata.name", "monitoring"));
    assertThat(in.get(2).getFrom()).singleElement()
        .satisfies(peer -> assertThat(peer.getIpBlock().getCidr()).isEqualTo("10.1.0.0/16"));

    List<NetworkPolicyEgressRule> out = policy.getSpec().getEgress();
    assertThat(out).extracting(r -> r.getPorts().stream().map(p -> p.getPort().getIntVal()).toList())
        .containsExactly(List.of(443, 6443), List.of(53, 53), List.of(9090), List.of(443));
    assertThat(out.get(0).getTo()).singleElement()
        .satisfies(peer -> assertThat(peer.getIpBlock().getCidr()).isEqualTo("10.0.0.10/32"));
    assertThat(out.get(1).getTo()).singleElement()
        .satisfies(peer -> assertThat(peer.getPodSelector().getMatchLabels()).containsEntry("k8s-app", "kube-dns"));

    // without the webhook, its port stays closed
    assertThat(RenderedChart.render(List.of(), Map.of("networkPolicy.enabled", true, "webhook.enabled", false))
        .all(NetworkPolicy.class).get(0)
        .getSpec().getIngress()).extracting(r -> r.getPorts().get(0).getPort().getIntVal()).containsExactly(8080, 8081);
  }

  @Test
  void valuesOutsideTheSchemaAreRefusedByName() {
    assertThatThrownBy(() -> RenderedChart.render(List.of(), Map.of("replicas", 3)))
        .hasMessageContaining("'replicas' not allowed");
    assertThatThrownBy(() -> RenderedChart.render(List.of(), Map.of("logFormat", "xml")))
        .hasMessageContaining("logFormat");
    assertThatThrownBy(() -> RenderedChart.render(List.of(), Map.of("watchNamespaces[0]", "Not_A_Namespace")))
        .hasMessageContaining("watchNamespaces");
  }

  /** The webhook: both configurations call the Service's 443 at the contract paths, served from the TLS Secret. */
  private static void assertServesWebhookFrom(RenderedChart chart, String tlsSecret) {
    var mutating = chart.all(MutatingWebhookConfiguration.class);
    var validating = chart.all(ValidatingWebhookConfiguration.class);
    assertThat(mutating).hasSize(1);
    assertThat(validating).hasSize(1);
    assertCalls(mutating.get(0).getWebhooks().get(0).getClientConfig(), "/mutate");
    assertCalls(validating.get(0).getWebhooks().get(0).getClientConfig(), "/validate");
    assertThat(mutating.get(0).getWebhooks().get(0).getRules()).singleElement().satisfies(r -> assertCovers(r, "CREATE"));
    assertThat(validating.get(0).getWebhooks().get(0).getRules()).singleElement()
        .satisfies(r -> assertCovers(r, "CREATE", "UPDATE"))
        .satisfies(r -> assertThat(r.getResources()).as("status is the operator's alone")
            .contains("hotfixes/status", "hotfixapprovals/status"));

    assertThat(chart.all(Service.class).get(0).getSpec().getPorts()).anySatisfy(p -> {
      assertThat(p.getPort()).isEqualTo(443);
      assertThat(p.getTargetPort().getStrVal()).isEqualTo("webhook");
    });
    PodSpec pod = chart.deployment().getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers().get(0).getPorts()).anySatisfy(p -> assertThat(p.getName()).isEqualTo("webhook"));
    assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals("webhook-tls")).singleElement()
        .satisfies(v -> assertThat(v.getSecret().getSecretName()).isEqualTo(tlsSecret));
    assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals("identity-key")).singleElement()
        .satisfies(v -> assertThat(v.getSecret().getItems()).singleElement()
            .satisfies(k -> assertThat(k.getPath()).isEqualTo("key")));
    assertThat(String.join(" ", chart.operatorArgs())).endsWith(WEBHOOK_ARGS);
    assertThat(pod.getContainers().get(0).getVolumeMounts()).anySatisfy(m -> {
      assertThat(m.getMountPath()).isEqualTo("/tls");
      assertThat(m.getReadOnly()).isTrue();
    });
  }

  private static void assertCalls(WebhookClientConfig client, String path) {
    assertThat(client.getUrl()).isNull();
    assertThat(client.getService().getName()).isEqualTo(RenderedChart.RELEASE);
    assertThat(client.getService().getNamespace()).isEqualTo(RenderedChart.NAMESPACE);
    assertThat(client.getService().getPort()).isEqualTo(443);
    assertThat(client.getService().getPath()).isEqualTo(path);
  }

  private static void assertCovers(RuleWithOperations rule, String... operations) {
    assertThat(rule.getApiGroups()).containsExactly("hotfix.dev");
    assertThat(rule.getResources()).contains("hotfixes", "hotfixapprovals");
    assertThat(rule.getOperations()).containsExactlyInAnyOrder(operations);
  }
}
