package dev.hotfix.sandbox.app;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.time.Duration;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The traffic of every ready pod, and its exposition as Prometheus metrics. Pods enter when they
 * become ready and leave, series and all, when they stop being ready or are deleted: a pod out
 * of the Service's endpoints gets no traffic and a deleted pod is no longer scraped.
 *
 * <p>Thread-safe: pod events, the traffic tick and scrapes may arrive on different threads.
 */
final class TrafficSimulation {

  static final String REQUESTS = "http_requests_total";
  static final String DURATION = "http_request_duration_seconds";

  private final double requestsPerSecond;
  private final long seed;
  /** Keyed by namespace/name, so scrapes list series in a stable order. */
  private final ConcurrentNavigableMap<String, PodTraffic> pods = new ConcurrentSkipListMap<>();

  TrafficSimulation(double requestsPerSecond, long seed) {
    this.requestsPerSecond = requestsPerSecond;
    this.seed = seed;
  }

  /** Takes in a pod's latest state: ready pods are served, others are forgotten. */
  void observe(Pod pod) {
    String key = SimulatedPod.keyOf(pod);
    if (!Readiness.isPodReady(pod) || pod.getMetadata().getDeletionTimestamp() != null) {
      pods.remove(key);
      return;
    }
    SimulatedPod current = SimulatedPod.of(pod);
    pods.compute(
        key,
        (k, known) ->
            known != null && known.pod().equals(current) ? known : new PodTraffic(current, seed));
  }

  /** Forgets a deleted pod, unless a newer pod of the same name has already taken its place. */
  void forget(Pod pod) {
    String uid = pod.getMetadata().getUid();
    pods.computeIfPresent(
        SimulatedPod.keyOf(pod),
        (k, known) -> uid == null || uid.equals(known.pod().uid()) ? null : known);
  }

  /** Serves the requests every ready pod receives in {@code elapsed}. */
  void advance(Duration elapsed) {
    double requests = requestsPerSecond * elapsed.toNanos() / 1e9;
    for (PodTraffic traffic : pods.values()) {
      traffic.serve(requests);
    }
  }

  /** How many pods are being served. */
  int servedPods() {
    return pods.size();
  }

  /** All series in Prometheus' text format. */
  String exposition() {
    // ~1.3 KB per pod; sizing up front avoids regrowing a multi-megabyte builder per scrape.
    StringBuilder out = new StringBuilder(1024 + 1400 * pods.size());
    ExpositionFormat.family(
        out, REQUESTS, "counter", "Requests the simulated app answered, by status code.");
    for (PodTraffic traffic : pods.values()) {
      traffic.writeRequests(out, REQUESTS);
    }
    ExpositionFormat.family(
        out, DURATION, "histogram", "Latency of the simulated app's requests in seconds.");
    for (PodTraffic traffic : pods.values()) {
      traffic.writeLatency(out, DURATION);
    }
    return out.toString();
  }
}
