package dev.hotfix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotfix.sandbox.api.ApiServer;
import dev.hotfix.sandbox.api.ApiServerOptions;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

/** {@code run} says what to do when the cluster has no Hotfix CRD, instead of failing on a bare 404. */
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
}
