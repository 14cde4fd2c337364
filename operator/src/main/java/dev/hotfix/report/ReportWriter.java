package dev.hotfix.report;

import dev.hotfix.api.v1alpha1.TargetKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixStatus;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.notify.EventRecorder;
import dev.hotfix.operator.PhaseListener;
import dev.hotfix.operator.Targets;
import dev.hotfix.policy.IdentityAnnotations;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the incident report ConfigMap ({@code <hotfix>-report}, key {@code report.md}) for the
 * operator's finisher, which calls it after a terminal phase is stored and again whenever the
 * report would say something else (the finisher decides when; this class only writes), and keeps
 * the audit trail when the Hotfix goes.
 * <ul>
 *   <li>The report outlives its Hotfix: no ownerReference (deleting the Hotfix, even a
 *   break-glass Critical one, must not erase the record of what it changed). It carries the
 *   label {@code hotfix.dev/hotfix=<name>} and the annotation {@code hotfix.dev/hotfix-uid};
 *   retention is the namespace owner's choice, by label (docs/security.md).</li>
 *   <li>It is written only to a ConfigMap that is absent or already this Hotfix's (same uid).
 *   Someone else's ConfigMap of that name is never touched: the report goes to
 *   {@code <hotfix>-report-<uid prefix>} instead, a Warning Event on the Hotfix says why, and the
 *   finisher records that name in {@code status.report}.</li>
 *   <li>Deleting a Hotfix that changed its Deployment records an Event on the Deployment naming
 *   the Hotfix and where its report is kept.</li>
 * </ul>
 * A failed write throws: the finisher tries again on the next pass; it never changes the Hotfix's phase.
 */
public final class ReportWriter implements PhaseListener {
  /** On the report: the uid of the Hotfix it belongs to, which decides whether it may be rewritten. */
  public static final String HOTFIX_UID_ANNOTATION = IdentityAnnotations.HOTFIX_UID;
  /** The Event reason when the report could not take its usual name. */
  public static final String NAME_TAKEN_REASON = "ReportNameTaken";
  /** The Event reason on a Deployment whose Hotfix was deleted. */
  public static final String HOTFIX_DELETED_REASON = "HotfixDeleted";
  private static final Logger LOG = LoggerFactory.getLogger(ReportWriter.class);
  /** Concurrent writers are unlikely (one operator); a couple of re-reads settle any 409. */
  private static final int CONFLICT_RETRIES = 3;
  /** Characters of the uid in the fallback name: enough to tell two Hotfixes of one name apart. */
  private static final int UID_SUFFIX = 8;

  private static final EventSource SOURCE = new EventSource("hotfix-operator", null);

  private final KubernetesClient client;
  private final EventRecorder events;

  public ReportWriter(KubernetesClient client, EventRecorder events) {
    this.client = client;
    this.events = events;
  }

  /** Nothing: the report is written by the operator's finisher once the terminal phase is stored. */
  @Override
  public void phaseChanged(Hotfix hotfix, Phase from, Phase to, Instant at) {
  }

  /**
   * A Hotfix that changed its Deployment is gone: says so on the Deployment, with where the
   * report is kept, so the change stays traceable from the object it changed.
   */
  @Override
  public void deleted(Hotfix hotfix) {
    HotfixStatus s = hotfix.getStatus();
    if (s == null || s.startedAt == null || hotfix.getSpec() == null || hotfix.getSpec().target == null) {
      return;
    }
    String namespace = hotfix.getMetadata().getNamespace();
    try {
      String name = hotfix.getSpec().target.name;
      HasMetadata d = Targets.read(client, TargetKind.of(hotfix.getSpec().target), namespace, name);
      if (d != null) {
        events.record(d, SOURCE, EventRecorder.NORMAL, HOTFIX_DELETED_REASON, "Hotfix " + hotfix.getMetadata().getName() + " ("
            + hotfix.getSpec().severity + ", " + s.phase + (s.requestedBy == null ? "" : ", requested by "
            + s.requestedBy) + ") that changed this " + TargetKind.of(hotfix.getSpec().target) + " was deleted; its incident report is kept in ConfigMap "
            + (s.report == null ? IncidentReport.configMapName(hotfix.getMetadata().getName()) : s.report));
      }
    } catch (RuntimeException e) {
      LOG.warn("could not record the deletion of Hotfix {} on its Deployment: {}", hotfix.getMetadata().getName(),
          e.toString());
    }
  }

  /**
   * Creates the report ConfigMap holding {@code markdown}, or updates this Hotfix's own; returns it
   * as stored (its name is the fallback one when the usual name is someone else's).
   */
  public ConfigMap write(Hotfix hotfix, String markdown) {
    String namespace = hotfix.getMetadata().getNamespace();
    String hotfixName = hotfix.getMetadata().getName();
    String uid = hotfix.getMetadata().getUid();
    String name = IncidentReport.configMapName(hotfixName);
    ConfigMap written = writeOwn(report(namespace, name, hotfixName, uid, markdown), uid);
    if (written != null) {
      return written;
    }
    String taken = name;
    name = taken + "-" + uid.substring(0, Math.min(UID_SUFFIX, uid.length()));
    events.record(hotfix, SOURCE, EventRecorder.WARNING, NAME_TAKEN_REASON, "ConfigMap " + taken + " exists and is "
        + "not this Hotfix's report, so it was left alone; the incident report is in ConfigMap " + name);
    written = writeOwn(report(namespace, name, hotfixName, uid, markdown), uid);
    if (written == null) {
      throw new IllegalStateException("ConfigMaps " + taken + " and " + name + " both belong to someone else; "
          + "the report of Hotfix " + hotfixName + " is not written");
    }
    return written;
  }

  /**
   * Creates {@code report}, or, when a ConfigMap of its name exists, replaces it only if it is
   * this Hotfix's, at the version that was checked (a 409 re-checks); null when it is someone else's.
   */
  private ConfigMap writeOwn(ConfigMap report, String uid) {
    String namespace = report.getMetadata().getNamespace();
    String name = report.getMetadata().getName();
    for (int attempt = 1; ; attempt++) {
      try {
        return client.resource(report).createOr(exists -> {
          ConfigMap current = get(namespace, name);
          if (current != null && !belongsTo(current, uid)) {
            return null;
          }
          // absent again (deleted since the create's 409): a create at no version; else locked to the one checked
          report.getMetadata().setResourceVersion(current == null ? null : current.getMetadata().getResourceVersion());
          return current == null ? client.resource(report).create() : client.resource(report).update();
        });
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= CONFLICT_RETRIES) {
          throw e;
        }
        report.getMetadata().setResourceVersion(null);
      }
    }
  }

  private static ConfigMap report(String namespace, String name, String hotfixName, String uid, String markdown) {
    return new ConfigMapBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace)
        .withLabels(Map.of(IncidentReport.HOTFIX_LABEL, hotfixName))
        .withAnnotations(Map.of(HOTFIX_UID_ANNOTATION, uid))
        .endMetadata()
        .withData(Map.of(IncidentReport.KEY, markdown))
        .build();
  }

  /**
   * Whether a ConfigMap is this Hotfix's report: it carries the Hotfix's uid (or, written by an
   * earlier version of the operator, an ownerReference to it).
   */
  static boolean belongsTo(ConfigMap cm, String uid) {
    Map<String, String> annotations = cm.getMetadata().getAnnotations();
    if (annotations != null && Objects.equals(annotations.get(HOTFIX_UID_ANNOTATION), uid)) {
      return true;
    }
    return cm.getMetadata().getOwnerReferences() != null
        && cm.getMetadata().getOwnerReferences().stream().anyMatch(r -> Objects.equals(r.getUid(), uid));
  }

  private ConfigMap get(String namespace, String name) {
    return client.configMaps().inNamespace(namespace).withName(name).get();
  }
}
