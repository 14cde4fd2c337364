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
 */
public record OperatorOptions(Set<String> namespaces, Optional<URI> prometheusUrl, MeterRegistry meters, Clock clock,
    IdentityProofs identityProofs, Optional<LeaderElection> leaderElection) {

  /**
   * All namespaces, no default Prometheus, metrics kept in memory only, UTC system time,
   * identities unverified, no leader election.
   */
  public static OperatorOptions defaults() {
    return new OperatorOptions(Set.of(), Optional.empty(), new SimpleMeterRegistry(), Clock.systemUTC(), IdentityProofs.NONE,
        Optional.empty());
  }

  public OperatorOptions withNamespaces(Set<String> watched) {
    return new OperatorOptions(Set.copyOf(watched), prometheusUrl, meters, clock, identityProofs, leaderElection);
  }

  public OperatorOptions withPrometheusUrl(Optional<URI> url) {
    return new OperatorOptions(namespaces, url, meters, clock, identityProofs, leaderElection);
  }

  public OperatorOptions withMeters(MeterRegistry registry) {
    return new OperatorOptions(namespaces, prometheusUrl, registry, clock, identityProofs, leaderElection);
  }

  public OperatorOptions withClock(Clock time) {
    return new OperatorOptions(namespaces, prometheusUrl, meters, time, identityProofs, leaderElection);
  }

  public OperatorOptions withIdentityProofs(IdentityProofs proofs) {
    return new OperatorOptions(namespaces, prometheusUrl, meters, clock, proofs, leaderElection);
  }

  public OperatorOptions withLeaderElection(Optional<LeaderElection> election) {
    return new OperatorOptions(namespaces, prometheusUrl, meters, clock, identityProofs, election);
  }
}
