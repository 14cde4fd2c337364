package dev.hotfix.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A watch from a list's resourceVersion sees every change after the list, deletions included, as
 * on a real API server: what an informer relies on when it lists, then watches, and when it
 * watches again after a dropped connection.
 */
class WatchFromListVersionTest {
  private static ApiServer api;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    api = ApiServer.start(ApiServerOptions.defaults());
    client = api.client();
  }

  @AfterAll
  static void stop() {
    client.close();
    api.close();
  }

  @Test
  void anObjectDeletedBetweenTheListAndTheWatchArrivesAsDeletedAndOthersAreNotReplayed() {
    client.resource(configMap("kept")).create();
    client.resource(configMap("gone")).create();
    String listed = client.configMaps().inNamespace("default").list().getMetadata().getResourceVersion();
    client.configMaps().inNamespace("default").withName("gone").delete();
    client.resource(configMap("new")).create();
    List<String> events = new CopyOnWriteArrayList<>();

    try (Watch watch = watchDefaultFrom(listed, events)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> events.size() >= 2);
      assertThat(events).containsExactly("DELETED gone", "ADDED new");
    }
  }

  @Test
  void aWatchFromBeforeADeletionInAnotherNamespaceHearsNothingOfIt() {
    client.resource(new NamespaceBuilder().withNewMetadata().withName("other")
        .endMetadata().build()).create();
    client.resource(configMap("elsewhere", "other")).create();
    String listed = client.configMaps().inNamespace("default").list().getMetadata().getResourceVersion();
    client.configMaps().inNamespace("other").withName("elsewhere").delete();
    client.resource(configMap("marker")).create();
    List<String> events = new CopyOnWriteArrayList<>();

    try (Watch watch = watchDefaultFrom(listed, events)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("ADDED marker"));
      assertThat(events).containsExactly("ADDED marker");
    }
  }

  /** Watches the default namespace's ConfigMaps from {@code version}, noting "ACTION name" per event. */
  private static Watch watchDefaultFrom(String version, List<String> events) {
    return client.configMaps().inNamespace("default").withResourceVersion(version).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, ConfigMap cm) {
        events.add(action + " " + cm.getMetadata().getName());
      }

      @Override
      public void onClose(WatcherException cause) {
      }
    });
  }

  private static ConfigMap configMap(String name) {
    return configMap(name, "default");
  }

  private static ConfigMap configMap(String name, String namespace) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .addToData("k", "v").build();
  }
}
