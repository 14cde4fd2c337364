package dev.hotfix.sandbox.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotfix.sandbox.api.ApiRequest;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How the ReplicaSet controller's pod creations fail, as the operator's pod-fault judgement reads
 * them: a refused create is upstream's ReplicaFailure (FailedCreate) until a later sync creates
 * the pods; a create whose answer was lost, retried by the client and met as "already exists" for
 * the controller's own pod, is no failure at all (upstream names pods through generateName and
 * never meets it). Seen failing with the controller taking that "already exists" as a refusal.
 */
class ReplicaSetPodCreationTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  @RegisterExtension static final SandboxFixture sandbox = new SandboxFixture();

  @AfterEach
  void clearFaults() {
    sandbox.server.faults().clear();
  }

  @Test
  void aRefusedCreateIsAReplicaFailureUntilTheNextSyncCreatesThePod() {
    sandbox.server.faults().fail(podCreation("refused"), 403, 1);
    try (Conditions seen = new Conditions("refused")) {
      sandbox.create(SandboxFixture.deployment("refused", "shop:1.0", 2).build());

      await().atMost(WAIT).until(() -> sandbox.rolledOut("refused"));
      assertThat(seen.replicaFailures()).as("the refusal is reported")
          .anySatisfy(c -> assertThat(c.getReason()).isEqualTo("FailedCreate"));
      await().atMost(WAIT).untilAsserted(() -> assertThat(replicaFailure(sandbox.replicaSets("refused").get(0)))
          .as("and cleared once the pods exist").isNull());
    }
    assertThat(sandbox.pods("refused")).hasSize(2);
  }

  @Test
  void aRetriedCreateThatMeetsItsOwnPodCountsAsCreated() {
    int injectedBefore = sandbox.server.faults().injected();
    sandbox.server.faults().loseAnswers(podCreation("retried"), 503, 1);
    try (Conditions seen = new Conditions("retried")) {
      sandbox.create(SandboxFixture.deployment("retried", "shop:1.0", 2).build());

      await().atMost(WAIT).until(() -> sandbox.rolledOut("retried"));
      assertThat(sandbox.server.faults().injected()).as("the answer was lost once").isEqualTo(injectedBefore + 1);
      assertThat(seen.replicaFailures()).as("no ReplicaFailure on the ReplicaSet, ever").isEmpty();
    }
    assertThat(sandbox.pods("retried")).as("and no pod made twice").hasSize(2);
  }

  private static Predicate<ApiRequest> podCreation(String app) {
    return r -> r.method().equals("POST") && r.path().endsWith("/pods") && r.body().contains("\"" + app + "-");
  }

  private static ReplicaSetCondition replicaFailure(ReplicaSet rs) {
    return rs.getStatus() == null || rs.getStatus().getConditions() == null ? null : rs.getStatus().getConditions()
        .stream().filter(c -> c.getType().equals("ReplicaFailure")).findFirst().orElse(null);
  }

  /** Every ReplicaFailure condition the Deployment's ReplicaSets carried, from a watch. */
  private static final class Conditions implements AutoCloseable {
    private final List<ReplicaSetCondition> failures = new CopyOnWriteArrayList<>();
    private final Watch watch;

    Conditions(String app) {
      watch = sandbox.client.apps().replicaSets().inNamespace(SandboxFixture.NS).withLabel("app", app)
          .watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ReplicaSet rs) {
              ReplicaSetCondition failure = replicaFailure(rs);
              if (failure != null) {
                failures.add(failure);
              }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
          });
    }

    List<ReplicaSetCondition> replicaFailures() {
      return List.copyOf(failures);
    }

    @Override
    public void close() {
      watch.close();
    }
  }
}
