package dev.hotfix.bench;

import dev.hotfix.api.v1alpha1.CanarySpec;
import dev.hotfix.api.v1alpha1.CheckSpec;
import dev.hotfix.api.v1alpha1.HotfixSpec;
import dev.hotfix.api.v1alpha1.PrometheusCheck;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.List;

/**
 * A bad image shipped to a healthy Deployment, and how its fault becomes observable: a pod
 * fault (the {@code crashloop} image: observable when the first pod of it is seen crashing) or
 * a metric fault (the {@code errors} image, whose pods are Ready but answer about half their
 * requests with 5xx: observable at the first Prometheus scrape holding a 5xx count of one of its
 * pods), checked every {@code checkIntervalSeconds} by the Hotfix's error-rate check.
 *
 * @param name for the table
 * @param badImage the image to ship
 * @param checkIntervalSeconds the error-rate check's {@code intervalSeconds}; 0 for a pod fault
 * @param canaryPods the Hotfix's {@code spec.rollout.canary.pods}, 0 for no canary
 */
record FaultScenario(String name, String badImage, int checkIntervalSeconds, int canaryPods) {
  /** Long enough that the error-rate check judges the canary before its analysis ends. */
  private static final int CANARY_ANALYSIS_SECONDS = 60;

  /** Short, so the new pod weighs in quickly; two 1 s scrapes are enough for rate(). */
  private static final String WINDOW = "[10s]";

  static FaultScenario podFault() {
    return new FaultScenario("pod fault", Workloads.CRASHING, 0, 0);
  }

  static FaultScenario metricFault(int checkIntervalSeconds) {
    return new FaultScenario("metric fault, interval " + checkIntervalSeconds + "s", Workloads.ERRORS,
        checkIntervalSeconds, 0);
  }

  /** The metric fault shipped with a canary of one pod first (spec.rollout.canary). */
  static FaultScenario metricFaultOnCanary(int checkIntervalSeconds) {
    return new FaultScenario("metric fault, canary 1 pod, interval " + checkIntervalSeconds + "s", Workloads.ERRORS,
        checkIntervalSeconds, 1);
  }

  /** The metric fault as the kubectl script meets it: it has no check, so no interval. */
  static FaultScenario metricFaultUnchecked() {
    return new FaultScenario("metric fault", Workloads.ERRORS, 0, 0);
  }

  boolean isMetric() {
    return Workloads.ERRORS.equals(badImage);
  }

  /**
   * The Hotfix for this fault: the error-rate check for metric faults (none otherwise), and the
   * canary when the scenario has one.
   */
  void shape(HotfixSpec spec, String deployment) {
    if (checkIntervalSeconds > 0) {
      spec.verification.intervalSeconds = checkIntervalSeconds;
      spec.verification.checks = List.of(errorRate(deployment));
    }
    if (canaryPods > 0) {
      spec.rollout.canary = new CanarySpec();
      spec.rollout.canary.pods = new IntOrString(canaryPods);
      spec.rollout.canary.analysisSeconds = CANARY_ANALYSIS_SECONDS;
    }
  }

  /** The share of 5xx answers of the Deployment; fails above 5 %. */
  private static CheckSpec errorRate(String deployment) {
    String s = "namespace=\"" + Workloads.NAMESPACE + "\",deployment=\"" + deployment + "\"";
    CheckSpec c = new CheckSpec();
    c.name = "error-rate";
    c.prometheus = new PrometheusCheck();
    c.prometheus.query = "sum(rate(http_requests_total{" + s + ",code=~\"5..\"}" + WINDOW + ")) / "
        + "sum(rate(http_requests_total{" + s + "}" + WINDOW + "))";
    c.failWhen = "> 0.05";
    // a Deployment created seconds ago may not have two samples in the window yet
    c.noDataLimit = 30;
    return c;
  }
}
