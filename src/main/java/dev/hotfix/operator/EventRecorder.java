package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.Phase;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on a Hotfix: one per phase change, and warnings (a failed notification, a
 * spent retry budget); and on other objects the operator answers for (a report name taken, a
 * deleted Hotfix on its Deployment). Failing to record never fails the Hotfix.
 */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final Set<Phase> WARNINGS =
      EnumSet.of(Phase.RollingBack, Phase.RolledBack, Phase.Failed, Phase.Rejected, Phase.Superseded);

  private final KubernetesClient client;

  public EventRecorder(KubernetesClient client) {
    this.client = client;
  }

  void phaseChanged(Hotfix hotfix, Phase phase, String message, Instant now) {
    record(hotfix, phase.name(), WARNINGS.contains(phase) ? "Warning" : "Normal", message, now);
  }

  /** A Warning Event that is not a phase change, with {@code reason} (NotificationFailed, RetriesExhausted). */
  public void warning(HasMetadata object, String reason, String message, Instant now) {
    record(object, reason, "Warning", message, now);
  }

  /** A Normal Event with {@code reason} on any namespaced object. */
  public void normal(HasMetadata object, String reason, String message, Instant now) {
    record(object, reason, "Normal", message, now);
  }

  private void record(HasMetadata object, String reason, String type, String message, Instant now) {
    String namespace = object.getMetadata().getNamespace();
    String time = now.toString();
    try {
      client.v1().events().inNamespace(namespace).resource(new EventBuilder()
          .withNewMetadata()
          .withName(object.getMetadata().getName() + "." + Long.toHexString(now.toEpochMilli() * 1000
              + (now.getNano() / 1000) % 1000))
          .withNamespace(namespace)
          .endMetadata()
          .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(object.getApiVersion())
              .withKind(object.getKind()).withName(object.getMetadata().getName()).withNamespace(namespace)
              .withUid(object.getMetadata().getUid()).withResourceVersion(object.getMetadata().getResourceVersion())
              .build())
          .withReason(reason)
          .withMessage(message == null ? "" : message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
          .withType(type)
          .withFirstTimestamp(time)
          .withLastTimestamp(time)
          .withCount(1)
          .withNewSource().withComponent("object-operator").endSource()
          .withReportingComponent("object-operator")
          .build()).create();
    } catch (RuntimeException e) {
      LOG.warn("could not record event {} for {}/{}: {}", reason, namespace, object.getMetadata().getName(),
          e.getMessage());
    }
  }
}
