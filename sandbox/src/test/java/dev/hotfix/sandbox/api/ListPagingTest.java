package dev.hotfix.sandbox.api;

import static dev.hotfix.sandbox.api.WatchLifetimeTest.configMap;
import static dev.hotfix.sandbox.api.WatchLifetimeTest.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotfix.testing.Kubectl;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lists in pages as upstream serves {@code limit} and {@code continue}: key order, a continue
 * token, {@code remainingItemCount} when nothing was filtered, 400 for a token with a
 * resourceVersion or an unreadable one, and 410 with a token to go on when the list is older than
 * the window; fabric8 and kubectl ({@code --chunk-size}) page through it.
 *
 * <p>Seen failing when broken (2026-12-04): with {@code limit} ignored (the old behaviour) every
 * test but the kubectl one fails; with the window check on tokens removed, the expiry test.
 */
class ListPagingTest {
  private static final String CONFIGMAPS = "/api/v1/namespaces/default/configmaps";

  @Test
  void aListComesInPagesInKeyOrderWithContinueAndRemainingItemCount() throws Exception {
    try (ApiServer api = WatchLifetimeTest.start(WatchSettings.defaults()); KubernetesClient client = api.client()) {
      for (String name : List.of("e", "c", "a", "d", "b")) {
        client.resource(configMap(name)).create();
      }

      JsonNode first = json(get(api, CONFIGMAPS + "?limit=2").body());
      assertThat(names(first)).containsExactly("a", "b");
      assertThat(first.path("metadata").path("remainingItemCount").asLong()).isEqualTo(3);
      String token = first.path("metadata").path("continue").asText();
      JsonNode second = json(get(api, CONFIGMAPS + "?limit=2&continue=" + token).body());
      assertThat(names(second)).containsExactly("c", "d");
      assertThat(second.path("metadata").path("resourceVersion").asText())
          .isEqualTo(first.path("metadata").path("resourceVersion").asText());
      JsonNode last = json(get(api, CONFIGMAPS + "?limit=2&continue="
          + second.path("metadata").path("continue").asText()).body());
      assertThat(names(last)).containsExactly("e");
      assertThat(last.path("metadata").has("continue")).isFalse();
      assertThat(last.path("metadata").has("remainingItemCount")).isFalse();

      // a selector filters: upstream then cannot count what remains
      JsonNode selected = json(get(api, CONFIGMAPS + "?limit=1&fieldSelector=metadata.name!=a").body());
      assertThat(names(selected)).containsExactly("b");
      assertThat(selected.path("metadata").has("continue")).isTrue();
      assertThat(selected.path("metadata").has("remainingItemCount")).isFalse();

      // fabric8 pages the same way
      List<String> paged = new ArrayList<>();
      String next = null;
      do {
        ConfigMapList page = client.configMaps().inNamespace("default")
            .list(new ListOptionsBuilder().withLimit(2L).withContinue(next).build());
        page.getItems().forEach(cm -> paged.add(cm.getMetadata().getName()));
        next = page.getMetadata().getContinue();
      } while (next != null && !next.isEmpty());
      assertThat(paged).containsExactly("a", "b", "c", "d", "e");
    }
  }

  @Test
  void aContinueTokenWithAResourceVersionOrUnreadableIsABadRequest() throws Exception {
    try (ApiServer api = WatchLifetimeTest.start(WatchSettings.defaults()); KubernetesClient client = api.client()) {
      client.resource(configMap("a")).create();
      client.resource(configMap("b")).create();
      String token = json(get(api, CONFIGMAPS + "?limit=1").body()).path("metadata").path("continue").asText();

      var withVersion = get(api, CONFIGMAPS + "?limit=1&resourceVersion=5&continue=" + token);
      assertThat(withVersion.statusCode()).isEqualTo(400);
      assertThat(json(withVersion.body()).path("message").asText())
          .isEqualTo("specifying resource version is not allowed when using continue");
      var garbage = get(api, CONFIGMAPS + "?limit=1&continue=bm90LWpzb24");
      assertThat(garbage.statusCode()).isEqualTo(400);
      assertThat(json(garbage.body()).path("message").asText()).startsWith("invalid continue token: ");
    }
  }

  @Test
  void aContinueTokenOlderThanTheWindowIsGoneWithATokenThatGoesOnFromTheSameKey() throws Exception {
    try (ApiServer api = WatchLifetimeTest.start(new WatchSettings(Duration.ofMinutes(1), Duration.ofMillis(300),
        Duration.ofMinutes(30))); KubernetesClient client = api.client()) {
      for (String name : List.of("a", "b", "c")) {
        client.resource(configMap(name)).create();
      }
      String token = json(get(api, CONFIGMAPS + "?limit=1").body()).path("metadata").path("continue").asText();
      client.resource(configMap("d")).create();

      var expired = await().atMost(Duration.ofSeconds(10))
          .until(() -> get(api, CONFIGMAPS + "?limit=1&continue=" + token), r -> r.statusCode() == 410);
      JsonNode status = json(expired.body());
      assertThat(status.path("reason").asText()).isEqualTo("Expired");
      assertThat(status.path("message").asText())
          .startsWith("The provided continue parameter is too old to display a consistent list result.");
      String inconsistent = status.path("metadata").path("continue").asText();
      JsonNode rest = json(get(api, CONFIGMAPS + "?continue=" + inconsistent).body());
      assertThat(names(rest)).containsExactly("b", "c", "d");
    }
  }

  @Test
  void kubectlGetsEveryObjectInChunks(@TempDir Path dir) throws Exception {
    try (ApiServer api = WatchLifetimeTest.start(WatchSettings.defaults()); KubernetesClient client = api.client()) {
      for (String name : List.of("a", "b", "c", "d", "e")) {
        client.resource(configMap(name)).create();
      }
      Kubectl kubectl = new Kubectl(api.writeKubeconfig(Files.createDirectories(dir).resolve("kubeconfig")));

      assertThat(kubectl.run("get", "configmaps", "--chunk-size=2", "-o", "name").assertOk().stdout().lines())
          .containsExactly("configmap/a", "configmap/b", "configmap/c", "configmap/d", "configmap/e");
      assertThat(kubectl.run("get", "configmaps", "--chunk-size=2").assertOk().stdout().lines().skip(1)
          .map(line -> line.split("\\s+")[0])).containsExactly("a", "b", "c", "d", "e");
    }
  }

  private static JsonNode json(String body) throws Exception {
    return CrudStore.JSON.readTree(body);
  }

  private static List<String> names(JsonNode list) {
    List<String> names = new ArrayList<>();
    list.path("items").forEach(item -> names.add(item.path("metadata").path("name").asText()));
    return names;
  }
}
