package dev.hotfix.sandbox.api;

import static dev.hotfix.sandbox.api.WatchLifetimeTest.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * {@link FaultInjector#lagWatches}: the chosen watch delivers its events late and in order, so a
 * client sees a later write on another watch first; lifting the lag reorders nothing. Seen failing
 * with each lagged event on a timer of its own: "cm/after" overtook "cm/lagged-2".
 */
class WatchLagTest {

  @Test
  void aLaggedWatchDeliversAfterAnUnlaggedOneAndKeepsItsOrder() {
    try (ApiServer api = ApiServer.start(ApiServerOptions.defaults().withoutClasspathCrds());
        KubernetesClient client = api.client()) {
      List<String> seen = new CopyOnWriteArrayList<>();
      api.faults().lagWatches(r -> r.path().endsWith("/configmaps"), Duration.ofSeconds(2));
      try (Watch configMaps = client.configMaps().inNamespace("default").watch(recorder(seen, "cm"));
          Watch secrets = client.secrets().inNamespace("default").watch(recorder(seen, "secret"))) {
        for (int i = 0; i < 3; i++) {
          client.resource(configMap("lagged-" + i)).create();
        }
        client.resource(new SecretBuilder().withNewMetadata().withName("prompt").withNamespace("default")
            .endMetadata().build()).create();
        // lifted while the three are still on their way: the next event waits behind them
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("secret/prompt"));
        api.faults().clear();
        client.resource(configMap("after")).create();

        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 5);
        assertThat(seen).containsExactly("secret/prompt", "cm/lagged-0", "cm/lagged-1", "cm/lagged-2", "cm/after");
      }
    }
  }

  private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> Watcher<T> recorder(List<String> seen,
      String prefix) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, T resource) {
        seen.add(prefix + "/" + resource.getMetadata().getName());
      }

      @Override
      public void onClose(WatcherException cause) {
      }
    };
  }
}
