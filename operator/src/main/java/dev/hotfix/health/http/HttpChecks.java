package dev.hotfix.health.http;

import dev.hotfix.api.v1alpha1.CheckSpec;
import dev.hotfix.api.v1alpha1.CheckStatus;
import dev.hotfix.api.v1alpha1.HttpCheck;
import dev.hotfix.health.CheckContext;
import dev.hotfix.health.CheckOutcome;
import dev.hotfix.health.Measurement;
import dev.hotfix.health.MeasurementWorkers;
import dev.hotfix.health.VerificationMetrics;
import dev.hotfix.kube.ApiErrors;
import dev.hotfix.outbound.ServiceHttp;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Runs http checks: once the revision under test is up (the canary under analysis, or the new
 * revision once rolled out, as for job checks), each interval one GET of the check's Service
 * ({@link HttpProbe}) on {@link MeasurementWorkers}, never on the reconcile thread: the pool is
 * the Service's own, so a slow service delays only the Hotfixes that ask it, and the answer's
 * arrival brings the Hotfix back. Each measurement goes through the check's limits like a
 * metric's. Before anything changes, a check whose Service is missing, does not select the
 * target's pods, or lacks the port rejects the Hotfix ({@link #problem}).
 */
public final class HttpChecks {

  /** Reads a Service of a namespace; empty when there is none. */
  @FunctionalInterface
  public interface Services {
    Optional<Service> find(String namespace, String name);
  }

  private final Services services;
  private final ServiceHttp http;
  private final MeasurementWorkers workers;
  private final VerificationMetrics metrics;

  public HttpChecks(Services services, ServiceHttp http, MeasurementWorkers workers, VerificationMetrics metrics) {
    this.services = services;
    this.http = http;
    this.workers = workers;
    this.metrics = metrics;
  }

  /**
   * What makes an http check unusable before anything changed: its Service missing from the
   * Hotfix's namespace, not selecting the target's pods (its selector must match the pod
   * template's labels), or without the check's port.
   */
  public Optional<String> problem(CheckContext c) {
    String namespace = c.namespace();
    for (CheckSpec check : c.checks()) {
      if (check.http == null) {
        continue;
      }
      HttpCheck h = check.http;
      Optional<Service> service;
      try {
        service = services.find(namespace, h.service);
      } catch (KubernetesClientException e) {
        return Optional.of("check " + check.name + ": could not read Service " + h.service + ": "
            + ApiErrors.describe(e));
      }
      if (service.isEmpty()) {
        return Optional.of("check " + check.name + ": Service " + h.service + " not found in namespace " + namespace
            + ": http checks ask a Service of the Hotfix's namespace; create it, or fix "
            + "spec.verification.checks[].http.service");
      }
      Map<String, String> selector = service.get().getSpec() == null ? null : service.get().getSpec().getSelector();
      Map<String, String> labels = c.podLabels();
      if (selector == null || selector.isEmpty() || !labels.entrySet().containsAll(selector.entrySet())) {
        return Optional.of("check " + check.name + ": Service " + h.service + " does not select the pods of "
            + c.targetName() + " (its selector " + text(selector) + " is not among the pod "
            + "template's labels " + text(labels) + "): name the target's own Service in "
            + "spec.verification.checks[].http.service");
      }
      List<ServicePort> ports = service.get().getSpec().getPorts() == null ? List.of()
          : service.get().getSpec().getPorts();
      if (ports.stream().noneMatch(p -> h.port.equals(p.getPort()))) {
        return Optional.of("check " + check.name + ": Service " + h.service + " has no port " + h.port + " (it "
            + "exposes " + ports.stream().map(p -> String.valueOf(p.getPort())).collect(Collectors.joining(", "))
            + "): fix spec.verification.checks[].http.port");
      }
    }
    return Optional.empty();
  }

  /** One round of one http check: measures it when due and the revision under test is up. */
  public CheckOutcome run(CheckContext c, CheckSpec spec, CheckStatus tally) {
    if (c.revisionUnderTest().isEmpty()) {
      return CheckOutcome.unchanged(tally); // its rollout brings the Hotfix back
    }
    Instant due = c.dueAfter(tally.lastMeasuredAt);
    if (c.now().isBefore(due)) {
      return new CheckOutcome(tally, Optional.empty(), Optional.of(due));
    }
    HttpProbe probe = probe(c.namespace(), spec);
    Optional<Measurement> m = workers.measurement(c.request("http:" + spec.name, probe.url()), endpoint(probe),
        () -> probe.measureAt(Instant.now()), c.wake());
    if (m.isEmpty()) {
      return CheckOutcome.unchanged(tally); // the answer brings the Hotfix back
    }
    Measurement at = new Measurement(m.get().result(), m.get().value(), m.get().message(), c.now());
    CheckOutcome counted = CheckOutcome.counted(metrics, c, spec, tally, at, null);
    return new CheckOutcome(counted.tally(), counted.failure(), counted.failure().isPresent() ? Optional.empty()
        : Optional.of(c.now().plus(c.interval())));
  }

  /** The probe of {@code spec} against its Service in {@code namespace}, the CRD's defaults restated. */
  public HttpProbe probe(String namespace, CheckSpec spec) {
    HttpCheck h = spec.http;
    String path = h.path == null ? "/" : h.path;
    int timeout = h.timeoutSeconds == null ? 5 : h.timeoutSeconds;
    String url = "http://" + ServiceHttp.host(h.service, namespace) + ":" + h.port + path;
    return new HttpProbe(spec.name, url, h.expectStatus == null ? 200 : h.expectStatus,
        Optional.ofNullable(h.jsonPath), Optional.ofNullable(h.expectValue),
        () -> http.get(h.service, namespace, h.port, path, Duration.ofSeconds(timeout)));
  }

  private static String endpoint(HttpProbe probe) {
    int pathStart = probe.url().indexOf('/', "http://".length());
    return pathStart < 0 ? probe.url() : probe.url().substring(0, pathStart);
  }

  private static String text(Map<String, String> labels) {
    return labels == null || labels.isEmpty() ? "{}" : labels.entrySet().stream().map(e -> e.getKey() + "="
        + e.getValue()).sorted().collect(Collectors.joining(",", "{", "}"));
  }
}
