package dev.hotfix.sandbox.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Deleting a Deployment deletes what it owned, as the real garbage collector would. */
class GarbageCollectorTest {

  @RegisterExtension static final SandboxFixture sandbox = new SandboxFixture();

  @Test
  void deletingADeploymentRemovesItsReplicaSetsAndPods() {
    sandbox.create(SandboxFixture.deployment("gone", "app:1", 2).build());
    await().atMost(Duration.ofSeconds(20)).until(() -> sandbox.rolledOut("gone"));

    sandbox.client.apps().deployments().inNamespace(SandboxFixture.NS).withName("gone").delete();

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(sandbox.replicaSets("gone")).isEmpty();
      assertThat(sandbox.pods("gone")).isEmpty();
    });
  }
}
