package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.Phase;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on a Hotfix: one per phase change, and warnings such as a failed
 * notification. Failing to record never fails the Hotfix.
 */
final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final Set<Phase> WARNINGS =
      EnumSet.of(Phase.RollingBack, Phase.RolledBack, Phase.Failed, Phase.Rejected, Phase.Superseded);

  private final KubernetesClient client;

  EventRecorder(KubernetesClient client) {
    this.client = client;
  }

  void phaseChanged(Hotfix hotfix, Phase phase, String message, Instant now) {
    record(hotfix, phase.name(), WARNINGS.contains(phase) ? "Warning" : "Normal", message, now);
  }

  /** A Warning Event with {@code reason} (e.g. NotificationFailed) on {@code hotfix}. */
  void warning(Hotfix hotfix, String reason, String message, Instant now) {
    record(hotfix, reason, "Warning", message, now);
  }

  private void record(Hotfix hotfix, String reason, String type, String message, Instant now) {
    String namespace = hotfix.getMetadata().getNamespace();
    String time = now.toString();
    try {
      client.v1().events().inNamespace(namespace).resource(new EventBuilder()
          .withNewMetadata()
          .withName(hotfix.getMetadata().getName() + "." + Long.toHexString(now.toEpochMilli() * 1000
              + (now.getNano() / 1000) % 1000))
          .withNamespace(namespace)
          .endMetadata()
          .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(hotfix.getApiVersion())
              .withKind(hotfix.getKind()).withName(hotfix.getMetadata().getName()).withNamespace(namespace)
              .withUid(hotfix.getMetadata().getUid()).withResourceVersion(hotfix.getMetadata().getResourceVersion())
              .build())
          .withReason(reason)
          .withMessage(message == null ? "" : message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
          .withType(type)
          .withFirstTimestamp(time)
          .withLastTimestamp(time)
          .withCount(1)
          .withNewSource().withComponent("hotfix-operator").endSource()
          .withReportingComponent("hotfix-operator")
          .build()).create();
    } catch (RuntimeException e) {
      LOG.warn("could not record event {} for {}/{}: {}", reason, namespace, hotfix.getMetadata().getName(),
          e.getMessage());
    }
  }
}
