package dev.hotfix.operator;

import dev.hotfix.outbound.EndpointAllowList;
import dev.hotfix.outbound.OutboundSettings;
import dev.hotfix.outbound.ServiceAddresses;
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
 * @param outbound which endpoints may be called and how much is read ({@code --allow-endpoint},
 *     {@code --max-response-bytes})
 * @param trustUnverifiedRequesters without identity proofs: let a Hotfix whose requester cannot be
 *     verified proceed without asking whether its requester may patch the target, i.e. trust
 *     whoever may create a Hotfix in a watched namespace ({@code --trust-unverified-requesters});
 *     ignored when identities can be verified
 * @param excludedNamespaces namespaces where Hotfixes are refused ({@code --exclude-namespace}): the
 *     cluster's own (kube-system, ...) and the operator's, which the Helm chart excludes by default
 */
public record OperatorOptions(Set<String> namespaces, Optional<URI> prometheusUrl, MeterRegistry meters, Clock clock,
    IdentityProofs identityProofs, Optional<LeaderElection> leaderElection, OutboundSettings outbound,
    boolean trustUnverifiedRequesters, Set<String> excludedNamespaces) {

  /**
   * All namespaces, no default Prometheus, metrics kept in memory only, UTC system time,
   * identities unverified, no leader election, public endpoints only, unverified requesters refused,
   * no namespace excluded.
   */
  public static OperatorOptions defaults() {
    return new OperatorOptions(Set.of(), Optional.empty(), new SimpleMeterRegistry(), Clock.systemUTC(), IdentityProofs.NONE,
        Optional.empty(), OutboundSettings.defaults(), false, Set.of());
  }

  public OperatorOptions withNamespaces(Set<String> watched) {
    return new OperatorOptions(Set.copyOf(watched), prometheusUrl, meters, clock, identityProofs, leaderElection,
        outbound, trustUnverifiedRequesters, excludedNamespaces);
  }

  public OperatorOptions withPrometheusUrl(Optional<URI> url) {
    return new OperatorOptions(namespaces, url, meters, clock, identityProofs, leaderElection,
        outbound, trustUnverifiedRequesters, excludedNamespaces);
  }

  public OperatorOptions withMeters(MeterRegistry registry) {
    return new OperatorOptions(namespaces, prometheusUrl, registry, clock, identityProofs, leaderElection,
        outbound, trustUnverifiedRequesters, excludedNamespaces);
  }

  public OperatorOptions withClock(Clock time) {
    return new OperatorOptions(namespaces, prometheusUrl, meters, time, identityProofs, leaderElection,
        outbound, trustUnverifiedRequesters, excludedNamespaces);
  }

  public OperatorOptions withIdentityProofs(IdentityProofs proofs) {
    return new OperatorOptions(namespaces, prometheusUrl, meters, clock, proofs, leaderElection, outbound, trustUnverifiedRequesters, excludedNamespaces);
  }

  public OperatorOptions withLeaderElection(Optional<LeaderElection> election) {
    return new OperatorOptions(namespaces, prometheusUrl, meters, clock, identityProofs, election, outbound, trustUnverifiedRequesters, excludedNamespaces);
  }

  public OperatorOptions withOutbound(OutboundSettings settings) {
    return new OperatorOptions(namespaces, prometheusUrl, meters, clock, identityProofs, leaderElection, settings, trustUnverifiedRequesters, excludedNamespaces);
  }

  /** These options with {@code allowed} as the endpoints allowed beyond public ones. */
  public OperatorOptions withAllowedEndpoints(EndpointAllowList allowed) {
    return withOutbound(outbound.withAllowed(allowed));
  }

  /** These options with http checks reaching Services at {@code addresses} (the sandbox's stand-in for DNS). */
  public OperatorOptions withServiceAddresses(ServiceAddresses addresses) {
    return withOutbound(outbound.withServiceAddresses(addresses));
  }

  public OperatorOptions withUnverifiedRequestersTrusted(boolean trusted) {
    return new OperatorOptions(namespaces, prometheusUrl, meters, clock, identityProofs, leaderElection, outbound,
        trusted, excludedNamespaces);
  }

  public OperatorOptions withExcludedNamespaces(Set<String> excluded) {
    return new OperatorOptions(namespaces, prometheusUrl, meters, clock, identityProofs, leaderElection, outbound,
        trustUnverifiedRequesters, Set.copyOf(excluded));
  }
}
