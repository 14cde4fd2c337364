package dev.hotfix.operator;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;

/**
 * Leader election for running several replicas of the operator: only the holder of the Lease
 * {@value #LEASE_NAME} in {@code leaseNamespace} reconciles; the others keep their informers
 * synced and take over when the holder stops renewing. Everything the operator needs to
 * continue an in-flight Hotfix is in its status and the Deployment's annotations, so a new
 * leader picks up where the old one stopped.
 *
 * @param leaseNamespace where the Lease lives (the operator's own namespace)
 * @param identity who this instance is in the Lease (the pod name in a cluster)
 * @param leaseDuration how long the others wait after the last renewal before taking over
 * @param renewDeadline how long the leader keeps trying to renew before it gives up leading
 * @param retryPeriod how often candidates try to acquire and the leader renews
 */
public record LeaderElection(String leaseNamespace, String identity, Duration leaseDuration, Duration renewDeadline,
    Duration retryPeriod) {
  /** The Lease's name (contract: the Helm chart's Role names it). */
  public static final String LEASE_NAME = "hotfix-operator";

  public LeaderElection {
    Objects.requireNonNull(leaseNamespace, "leaseNamespace");
    Objects.requireNonNull(identity, "identity");
    if (renewDeadline.compareTo(leaseDuration) >= 0 || retryPeriod.compareTo(renewDeadline) >= 0) {
      throw new IllegalArgumentException("leader election needs retry period < renew deadline < lease duration, got "
          + retryPeriod + " < " + renewDeadline + " < " + leaseDuration);
    }
  }

  /** Kubernetes' usual timings (as client-go and kube-controller-manager use): 15 s lease, 10 s renew deadline, 2 s retry. */
  public static LeaderElection in(String leaseNamespace, String identity) {
    return new LeaderElection(leaseNamespace, identity, Duration.ofSeconds(15), Duration.ofSeconds(10),
        Duration.ofSeconds(2));
  }

  public LeaderElection withTimings(Duration lease, Duration renew, Duration retry) {
    return new LeaderElection(leaseNamespace, identity, lease, renew, retry);
  }

  /**
   * This process's identity: the pod name ({@code HOSTNAME}, which Kubernetes sets to it), or
   * host name and process id outside a pod.
   */
  public static String defaultIdentity() {
    String hostname = System.getenv("HOSTNAME");
    if (hostname != null && !hostname.isBlank()) {
      return hostname;
    }
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    return host + "-" + ProcessHandle.current().pid();
  }
}
