package dev.hotfix.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hotfix.sandbox.api.ApiServer;
import dev.hotfix.sandbox.api.ApiServerOptions;
import dev.hotfix.operator.LeaderElection;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code run} says what to do when the cluster has no Hotfix CRD, instead of failing on a bare
 * 404, and when leader election lacks its Lease's namespace.
 */
class RunCommandTest {

  @Test
  void aClusterWithoutTheCrdGetsTheInstallCommand() {
    try (ApiServer api = ApiServer.start(ApiServerOptions.defaults().withoutClasspathCrds());
        KubernetesClient client = api.client()) {
      assertThat(RunCommand.missingCrd(client)).hasValueSatisfying(m -> assertThat(m)
          .contains("(hotfixes.hotfix.dev) is not installed", "kubectl apply -f crds/"));
    }
  }

  @Test
  void aClusterWithTheCrdStartsTheOperator() {
    try (ApiServer api = ApiServer.start(ApiServerOptions.defaults()); KubernetesClient client = api.client()) {
      assertThat(RunCommand.missingCrd(client)).isEmpty();
    }
  }

  @Test
  void aNamespaceBothWatchedAndExcludedIsRefusedBeforeStarting() {
    assertThat(parsed("--exclude-namespace", "kube-system", "--exclude-namespace", "hotfix-system").excludedNamespaces)
        .containsExactly("kube-system", "hotfix-system");
    assertThat(Main.commandLine().execute("run", "-n", "shop", "--exclude-namespace", "shop", "--kubeconfig",
        "/nonexistent")).as("refused before reading the kubeconfig").isEqualTo(2);
  }

  @Test
  void leaderElectionWithoutANamespaceSaysWhatToSetAndDoesNotStart() {
    assumeTrue(System.getenv("POD_NAMESPACE") == null, "POD_NAMESPACE is set in this environment");
    assertThatThrownBy(() -> parsed("--leader-election").leaderElection())
        .hasMessageContaining("--leader-election-namespace NAMESPACE").hasMessageContaining("POD_NAMESPACE");
    assertThat(Main.commandLine().execute("run", "--leader-election", "--kubeconfig", "/nonexistent"))
        .as("refused before reading the kubeconfig").isEqualTo(2);
  }

  @Test
  void leaderElectionUsesTheLeaseInTheNamedNamespaceWithKubernetesTimings() {
    LeaderElection election = parsed("--leader-election", "--leader-election-namespace", "ops").leaderElection()
        .orElseThrow();

    assertThat(election.leaseNamespace()).isEqualTo("ops");
    assertThat(election.identity()).isEqualTo(LeaderElection.defaultIdentity()).isNotBlank();
    assertThat(election.leaseDuration()).isEqualTo(Duration.ofSeconds(15));
    assertThat(election.renewDeadline()).isEqualTo(Duration.ofSeconds(10));
    assertThat(election.retryPeriod()).isEqualTo(Duration.ofSeconds(2));
    assertThat(parsed("--leader-election-namespace", "ops").leaderElection()).as("off unless asked for").isEmpty();
  }

  @Test
  void badOutboundFlagsSayWhatToFixAndDoNotStart() {
    assertThatThrownBy(() -> parsed("--allow-endpoint", "10.0.0.0/33").outbound())
        .hasMessageContaining("'10.0.0.0/33' is neither a host name nor an address range");
    assertThatThrownBy(() -> parsed("--prometheus-url", "http://admin:pw@prometheus:9090").outbound())
        .hasMessage("--prometheus-url must not carry user info (user:password@): put credentials in a Secret");
    assertThat(parsed("--allow-endpoint", "prometheus.monitoring", "--allow-endpoint", "10.96.0.0/12",
        "--max-response-bytes", "8388608").outbound().maxBodyBytes()).isEqualTo(8388608);
    assertThat(Main.commandLine().execute("run", "--allow-endpoint", "http://x", "--kubeconfig", "/nonexistent"))
        .as("refused before reading the kubeconfig").isEqualTo(2);
  }

  @Test
  void inconsistentLeaseTimingsAreRefused() {
    assertThatThrownBy(() -> parsed("--leader-election", "--leader-election-namespace", "ops",
        "--leader-election-renew-deadline", "PT20S").leaderElection())
        .hasMessageContaining("retry period < renew deadline < lease duration");
  }

  @Test
  void probesOnTheMetricsPortAreRefusedSayingWhy() {
    assertThat(parsed().portProblem()).as("defaults: 8080 and 8081").isEmpty();
    assertThat(parsed("--health-port", "8080").portProblem()).hasValue("--health-port and --metrics-port are both "
        + "8080: the probes need a port of their own (default 8081) so that scrapes cannot hold them up");
    assertThat(parsed("--metrics-port", "0", "--health-port", "0").portProblem()).as("both picked free").isEmpty();
    assertThat(parsed("--webhook-port", "8081").portProblem()).hasValueSatisfying(m -> assertThat(m)
        .startsWith("--webhook-port 8081 is also the metrics or health port"));
    assertThat(Main.commandLine().execute("run", "--health-port", "8080", "--kubeconfig", "/nonexistent"))
        .as("refused before reading the kubeconfig").isEqualTo(2);
  }

  /** {@code run} with {@code args}, parsed by the real command line (defaults and conversions as users get them). */
  private static RunCommand parsed(String... args) {
    String[] line = new String[args.length + 1];
    line[0] = "run";
    System.arraycopy(args, 0, line, 1, args.length);
    return (RunCommand) Main.commandLine().parseArgs(line).subcommand().commandSpec().userObject();
  }
}
