package dev.hotfix.sandbox.api;

import static dev.hotfix.sandbox.api.WatchLifetimeTest.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * fabric8 informers, as the operator and the simulated cluster use them, recover from closed
 * watches and from 410 "too old resource version" when they watch again from a version older than
 * the watch cache window: they list again, and their cache and what their handler was told end
 * equal to the server's state, no change lost. fabric8 asks for {@code timeoutSeconds} of 5 to 10
 * minutes, so the server closes the watches here as a broken connection would
 * ({@code dropWatches}, refusing nothing); the window is short and bookmarks come too late to save
 * the informer's version, so its re-watch of an idle kind is refused by the window itself.
 *
 * <p>Seen failing when broken (2026-12-04): with the expired watch's ERROR event carrying code 500
 * instead of 410, fabric8 never lists again and the informer's handler misses the later changes.
 */
class InformerRecoveryTest {

  @Test
  void anInformerListsAgainAfterExpiredWatchesAndLosesNoChange() {
    WatchSettings expiring = new WatchSettings(Duration.ofMinutes(10), Duration.ofMillis(200), Duration.ofMinutes(30));
    try (ApiServer api = WatchLifetimeTest.start(expiring); KubernetesClient client = api.client()) {
      Map<String, String> told = new ConcurrentHashMap<>();
      SharedIndexInformer<ConfigMap> informer = client.configMaps().inNamespace("default")
          .inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ConfigMap cm) {
              told.put(cm.getMetadata().getName(), cm.getData().get("n"));
            }

            @Override
            public void onUpdate(ConfigMap before, ConfigMap cm) {
              told.put(cm.getMetadata().getName(), cm.getData().get("n"));
            }

            @Override
            public void onDelete(ConfigMap cm, boolean finalStateUnknown) {
              told.remove(cm.getMetadata().getName());
            }
          });
      try {
        for (int round = 0; round < 3; round++) {
          long expiredBefore = api.expiredWatches();
          // caught up first (its relist may come late), so that this round's writes find it watching
          long current = Long.parseLong(client.configMaps().inNamespace("default").list().getMetadata()
              .getResourceVersion());
          await().atMost(Duration.ofSeconds(20))
              .until(() -> Long.parseLong(informer.lastSyncResourceVersion()) >= current);
          client.resource(configMap("kept-" + round)).create();
          client.resource(configMap("changed")).createOr(existing -> existing.update());
          client.resource(configMap("gone-" + round)).create();
          client.configMaps().inNamespace("default").withName("gone-" + round).delete();
          // writes of another kind move the version on while this kind stays idle
          client.resource(new SecretBuilder().withNewMetadata().withName("tick-" + round).endMetadata().build())
              .create();
          await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).until(() -> {
            api.faults().dropWatches(Duration.ZERO);
            return api.expiredWatches() > expiredBefore;
          });
        }

        Map<String, String> stored = client.configMaps().inNamespace("default").list().getItems().stream()
            .collect(Collectors.toMap(cm -> cm.getMetadata().getName(), cm -> cm.getData().get("n")));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
          assertThat(told).isEqualTo(stored);
          assertThat(informer.getStore().list().stream().collect(Collectors.toMap(cm -> cm.getMetadata().getName(),
              cm -> cm.getData().get("n")))).isEqualTo(stored);
        });
      } finally {
        informer.close();
      }
    }
  }
}
