package dev.hotfix.operator;

import dev.hotfix.policy.IdentityProofs;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/**
 * How to start a {@link HotfixOperator}.
 *
 * @param namespaces the namespaces to watch; empty means all
 * @param prometheusUrl the Prometheus metric checks query by default ({@code --prometheus-url});
 *     a namespace's HotfixPolicy {@code default} overrides it
 * @param meters where the operator's metrics go
 * @param clock the operator's time: deadlines, bakes, maintenance and freeze windows (tests move it)
 * @param identityProofs the key that checks the admission webhook's identity proofs
 *     ({@code run --identity-key-file}); requesters and approvers count as verified only when
 *     their proof checks out
 * @param leaderElection when present, only the Lease holder reconciles ({@code --leader-election})
 * @param excludedNamespaces namespaces where Hotfixes are refused ({@code --exclude-namespace}): the
 *     cluster's own (kube-system, ...) and the operator's, which the Helm chart excludes by default
 */
public record OperatorOptions(Set<String> namespaces, Optional<URI> prometheusUrl, MeterRegistry meters, Clock clock,
    IdentityProofs identityProofs, Optional<LeaderElection> leaderElection, Set<String> excludedNamespaces) {

  /**
   * All namespaces, no default Prometheus, metrics kept in memory only, UTC system time,
   * identities unverified, no leader election, no namespace excluded.
   */
  public static OperatorOptions defaults() {
    return new OperatorOptions(Set.of(), Optional.empty(), new SimpleMeterRegistry(), Clock.systemUTC(),
        IdentityProofs.NONE, Optional.empty(), Set.of());
  }

  public OperatorOptions withNamespaces(Set<String> watched) {
    return new OperatorOptions(Set.copyOf(watched), prometheusUrl, meters, clock, identityProofs, leaderElection,
        excludedNamespaces);
  }

  public OperatorOptions withPrometheusUrl(Optional<URI> url) {
    return new OperatorOptions(namespaces, url, meters, clock, identityProofs, leaderElection,
        excludedNamespaces);
  }

  public OperatorOptions withMeters(MeterRegistry registry) {
    return new OperatorOptions(namespaces, prometheusUrl, registry, clock, identityProofs, leaderElection,
        excludedNamespaces);
  }

  public OperatorOptions withClock(Clock time) {
    return new OperatorOptions(namespaces, prometheusUrl, meters, time, identityProofs, leaderElection,
        excludedNamespaces);
  }

  public OperatorOptions withIdentityProofs(IdentityProofs proofs) {
    return new OperatorOptions(namespaces, prometheusUrl, meters, clock, proofs, leaderElection,
        excludedNamespaces);
  }

  public OperatorOptions withLeaderElection(Optional<LeaderElection> election) {
    return new OperatorOptions(namespaces, prometheusUrl, meters, clock, identityProofs, election,
        excludedNamespaces);
  }

  public OperatorOptions withExcludedNamespaces(Set<String> excluded) {
    return new OperatorOptions(namespaces, prometheusUrl, meters, clock, identityProofs, leaderElection,
        Set.copyOf(excluded));
  }
}
