package dev.hotfix.report;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.operator.PhaseListener;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the incident report ConfigMap ({@code <hotfix>-report}, key {@code report.md}) when a
 * Hotfix reaches a terminal phase. The ConfigMap is owned by the Hotfix (deleting the Hotfix
 * deletes its report); a report from an earlier attempt of the same Hotfix is updated with the
 * resourceVersion it was read at. Failing to write is logged and never fails the Hotfix.
 */
public final class ReportWriter implements PhaseListener {
  private static final Logger LOG = LoggerFactory.getLogger(ReportWriter.class);
  /** Concurrent writers are unlikely (one operator); a couple of re-reads settle any 409. */
  private static final int CONFLICT_RETRIES = 3;

  private final KubernetesClient client;

  public ReportWriter(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public void phaseChanged(Hotfix hotfix, Phase from, Phase to, Instant at) {
    if (!to.isTerminal()) {
      return;
    }
    try {
      write(hotfix);
    } catch (RuntimeException e) {
      // the phase change is stored already; the listeners after this one must still hear of it
      LOG.warn("could not write the incident report {}: {}", IncidentReport.configMapName(
          hotfix.getMetadata().getName()), e.toString());
    }
  }

  /** Creates the report ConfigMap, or updates the existing one; returns it as stored. */
  public ConfigMap write(Hotfix hotfix) {
    String namespace = hotfix.getMetadata().getNamespace();
    String hotfixName = hotfix.getMetadata().getName();
    ConfigMap report = new ConfigMapBuilder()
        .withNewMetadata().withName(IncidentReport.configMapName(hotfixName)).withNamespace(namespace)
        .withLabels(Map.of(IncidentReport.HOTFIX_LABEL, hotfixName))
        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(hotfix.getApiVersion())
            .withKind(hotfix.getKind()).withName(hotfixName).withUid(hotfix.getMetadata().getUid()).build())
        .endMetadata()
        .withData(Map.of(IncidentReport.KEY, IncidentReport.render(hotfix)))
        .build();
    for (int attempt = 1; ; attempt++) {
      ConfigMap existing = client.configMaps().inNamespace(namespace).withName(report.getMetadata().getName()).get();
      try {
        if (existing == null) {
          return client.resource(report).create();
        }
        report.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
        return client.resource(report).update();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= CONFLICT_RETRIES) {
          throw e;
        }
      }
    }
  }
}
