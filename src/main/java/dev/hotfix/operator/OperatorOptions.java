package dev.hotfix.operator;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.util.Optional;
import java.util.Set;

/**
 * How to start a {@link HotfixOperator}.
 *
 * @param namespaces the namespaces to watch; empty means all
 * @param prometheusUrl the Prometheus metric checks query by default ({@code --prometheus-url});
 *     a namespace's HotfixPolicy {@code default} overrides it
 * @param meters where the operator's metrics go
 * @param leaderElection when present, only the Lease holder reconciles ({@code --leader-election})
 */
public record OperatorOptions(Set<String> namespaces, Optional<URI> prometheusUrl, MeterRegistry meters,
    Optional<LeaderElection> leaderElection) {

  /** All namespaces, no default Prometheus, metrics kept in memory only, no leader election. */
  public static OperatorOptions defaults() {
    return new OperatorOptions(Set.of(), Optional.empty(), new SimpleMeterRegistry(), Optional.empty());
  }

  public OperatorOptions withNamespaces(Set<String> watched) {
    return new OperatorOptions(Set.copyOf(watched), prometheusUrl, meters, leaderElection);
  }

  public OperatorOptions withPrometheusUrl(Optional<URI> url) {
    return new OperatorOptions(namespaces, url, meters, leaderElection);
  }

  public OperatorOptions withMeters(MeterRegistry registry) {
    return new OperatorOptions(namespaces, prometheusUrl, registry, leaderElection);
  }

  public OperatorOptions withLeaderElection(Optional<LeaderElection> election) {
    return new OperatorOptions(namespaces, prometheusUrl, meters, election);
  }
}
