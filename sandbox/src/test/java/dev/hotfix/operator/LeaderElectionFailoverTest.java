package dev.hotfix.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.metrics.MetricsEndpoint;
import dev.hotfix.metrics.PrometheusRegistries;
import dev.hotfix.rollout.DeploymentRevisions;
import dev.hotfix.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two operator instances with leader election on the sandbox, each with its own client: only the
 * Lease holder writes; when it stops in the middle of a rollout, the standby takes over and
 * finishes the Hotfix from its recorded state, without patching the Deployment a second time.
 * A leader that loses its Lease without being stopped stops by itself.
 */
class LeaderElectionFailoverTest {
  private static final String FIXED = "registry.example.com/web:1.1-hotfix.1";

  /** What the test started, the latest first (closed in that order). */
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private ScenarioBed bed;

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : started) {
      c.close();
    }
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void theStandbyFinishesAnInFlightHotfixWithoutPatchingTwice() throws Exception {
    // new pods take 2 s to be ready, so a 3-pod rollout (one surge pod at a time) runs for a while
    bed = ScenarioBed.withoutOperator(SandboxOptions.defaults().withPrometheus(false)
        .withPodStartDelay(Duration.ofSeconds(2)));
    String web = bed.deploymentReady(d -> { });
    WriteLog writesA = new WriteLog();
    WriteLog writesB = new WriteLog();
    HotfixOperator a = start("operator-a", writesA);
    await().atMost(Duration.ofSeconds(10)).until(a::isLeader);
    HotfixOperator b = start("operator-b", writesB);
    MetricsEndpoint standbyEndpoint = endpoint(b);

    assertThat(b.isReady()).as("the standby is ready: informers synced").isTrue();
    assertThat(b.isLeader()).isFalse();
    assertThat(readyz(standbyEndpoint)).as("/readyz of the standby").isEqualTo(200);

    String name = bed.create(bed.hotfix(web, FIXED, s -> { }));
    // patched, and the patch recorded: the leader's next write is not in flight when it stops
    await().atMost(Duration.ofSeconds(60)).until(() -> FIXED.equals(bed.images(web).get("app"))
        && bed.get(name).getStatus() != null && bed.get(name).getStatus().applied != null);
    assertThat(bed.get(name).getStatus().phase).isEqualTo(Phase.RollingOut);
    a.close();
    Instant leaderStopped = Instant.now();

    await().atMost(Duration.ofSeconds(15)).until(b::isLeader);
    Instant standbyLeads = Instant.now();
    Hotfix done = bed.awaitTerminal(name);

    assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(Phase.Succeeded);
    // a write already in flight may complete just after close() returns; none after the standby leads
    assertThat(writesA.writes()).as("the leader acted").isNotEmpty()
        .allSatisfy(w -> assertThat(w.at()).isBefore(standbyLeads));
    assertThat(writesB.writes()).as("the standby wrote nothing while it stood by; then it finished the Hotfix")
        .isNotEmpty().allSatisfy(w -> assertThat(w.at()).isAfter(leaderStopped));
    assertThat(writesB.writes()).anySatisfy(w -> assertThat(w.path()).endsWith("/hotfixes/" + name + "/status"));

    assertThat(imageChanges(bed.observed(web))).as("the image patch reached the Deployment once")
        .containsExactly(ScenarioBed.GOOD + " -> " + FIXED);
    List<ReplicaSet> replicaSets = bed.client.apps().replicaSets().inNamespace(ScenarioBed.NS).list().getItems()
        .stream().filter(rs -> rs.getMetadata().getName().startsWith(web + "-")).toList();
    assertThat(replicaSets).as("the original and one new revision").hasSize(2);
    assertThat(DeploymentRevisions.revisionOf(bed.deployment(web))).isEqualTo(2);
    List<String> timeline = done.getStatus().timeline.stream().map(e -> e.phase + ": " + e.message).toList();
    assertThat(timeline).as("no step repeated by the new leader").doesNotHaveDuplicates()
        .filteredOn(e -> e.startsWith("RollingOut: patched Deployment")).hasSize(1);
    assertThat(bed.phases(done)).containsSubsequence(Phase.RollingOut, Phase.Verifying, Phase.Succeeded);
    bed.assertAvailabilityNeverDropped(web);
    bed.assertWrites(web, 1, 0, 1);
  }

  @Test
  void aLeaderThatLosesItsLeaseStopsActing() {
    bed = ScenarioBed.withoutOperator(SandboxOptions.defaults().withPrometheus(false));
    WriteLog writes = new WriteLog();
    HotfixOperator leader = start("operator-a", writes);
    await().atMost(Duration.ofSeconds(10)).until(leader::isLeader);

    // someone else holds the Lease now (as after a long pause in which it expired and was taken)
    // (the leader renews meanwhile: an edit that meets its renewal gets 409 and is made again)
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
      bed.client.resources(Lease.class).inNamespace(ScenarioBed.NS).withName(LeaderElection.LEASE_NAME).edit(l -> {
        l.getSpec().setHolderIdentity("operator-elsewhere");
        l.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC));
        return l;
      });
      return true;
    });

    await().atMost(Duration.ofSeconds(10)).until(() -> leader.leadershipLost().isDone());
    assertThat(leader.isLeader()).isFalse();
    assertThat(leader.isReady()).as("stopped: no longer ready").isFalse();
    Instant stopped = Instant.now();
    String web = bed.deploymentReady(d -> { });
    String name = bed.create(bed.hotfix(web, FIXED, s -> { }));
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
        .until(() -> bed.get(name).getStatus() == null);
    assertThat(writes.writes()).as("nothing written after it stopped").allSatisfy(w -> assertThat(w.at()).isBefore(stopped));
    bed.assertWrites(web, 0, 0, 0);
  }

  /** An operator with its own client (writes recorded) and short Lease timings, standing for one replica. */
  private HotfixOperator start(String identity, WriteLog writes) {
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl(bed.apiUrl().toString())
        .withNamespace(ScenarioBed.NS).withTrustCerts(true).withUserAgent(ScenarioBed.OPERATOR_USER_AGENT).build();
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config)
        .withHttpClientBuilderConsumer(h -> h.addOrReplaceInterceptor("write-log", writes)).build();
    started.push(client);
    LeaderElection election = LeaderElection.in(ScenarioBed.NS, identity)
        .withTimings(Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofMillis(500));
    HotfixOperator operator = HotfixOperator.start(client, ScenarioBed.trustedWithoutWebhook(OperatorOptions.defaults()
        .withNamespaces(Set.of(ScenarioBed.NS)).withLeaderElection(Optional.of(election))), PhaseListener.NONE);
    started.push(operator);
    return operator;
  }

  private MetricsEndpoint endpoint(HotfixOperator operator) throws Exception {
    MetricsEndpoint endpoint = MetricsEndpoint.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), PrometheusRegistries.withJvmMetrics(),
        operator::isReady);
    started.push(endpoint);
    return endpoint;
  }

  private static int readyz(MetricsEndpoint endpoint) throws Exception {
    return HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + endpoint.healthPort() + "/readyz")).build(),
        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** The pod template's image changes across the Deployment versions served, as "old -> new". */
  private static List<String> imageChanges(List<Deployment> versions) {
    List<String> changes = new ArrayList<>();
    for (int i = 1; i < versions.size(); i++) {
      String before = image(versions.get(i - 1));
      String after = image(versions.get(i));
      if (!Objects.equals(before, after)) {
        changes.add(before + " -> " + after);
      }
    }
    return changes;
  }

  private static String image(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  /** One successful write (any verb but GET; access reviews are questions, not writes). */
  record Write(Instant at, String method, String path) {
  }

  /** Records the successful writes a client makes. */
  static final class WriteLog implements Interceptor {
    private final List<Write> writes = new CopyOnWriteArrayList<>();

    @Override
    public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
      String path = request.uri().getPath();
      if (!request.method().equals("GET") && response.isSuccessful() && !path.contains("/authorization.k8s.io/")) {
        writes.add(new Write(Instant.now(), request.method(), path));
      }
    }

    List<Write> writes() {
      return List.copyOf(writes);
    }
  }
}
