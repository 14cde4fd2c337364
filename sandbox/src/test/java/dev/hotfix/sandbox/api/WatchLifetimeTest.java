package dev.hotfix.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What time does to watches, as on kube-apiserver: bookmarks for clients that allow them, the
 * initial-events-end bookmark of {@code sendInitialEvents}, the end of a watch at its timeout, and
 * 410 "too old resource version" for a watch from before the watch cache window. Each server here
 * runs with short timing so that expiry happens within a test.
 *
 * <p>Seen failing when broken (2026-12-04): with the bookmark timer not started, the bookmark test
 * fails; with the initial-events-end bookmark left out, the initial-events test; with no window
 * check, the too-old test; with the timeout timer not started, both timeout tests.
 */
class WatchLifetimeTest {
  private static final String CONFIGMAPS = "/api/v1/namespaces/default/configmaps";
  private static final AtomicInteger NAMES = new AtomicInteger();

  @Test
  void aWatchThatAllowsBookmarksGetsThemWithOnlyKindAndTheCurrentVersion() {
    try (ApiServer api = start(new WatchSettings(Duration.ofMillis(200), Duration.ofSeconds(75),
        Duration.ofMinutes(30))); KubernetesClient client = api.client();
        RawWatch watch = RawWatch.open(api, CONFIGMAPS + "?watch=true&allowWatchBookmarks=true&timeoutSeconds=30")) {
      // a write of another kind: the watch hears nothing of it, but its bookmarks move on
      long secretVersion = Long.parseLong(client.resource(new SecretBuilder().withNewMetadata()
          .withName("s").endMetadata().build()).create().getMetadata().getResourceVersion());

      await().atMost(Duration.ofSeconds(10)).until(() -> watch.events("BOOKMARK").stream()
          .anyMatch(b -> version(b) >= secretVersion));
      JsonNode bookmark = watch.events("BOOKMARK").get(0).path("object");
      assertThat(names(bookmark)).containsExactly("apiVersion", "kind", "metadata");
      assertThat(bookmark.path("kind").asText()).isEqualTo("ConfigMap");
      assertThat(bookmark.path("apiVersion").asText()).isEqualTo("v1");
      assertThat(names(bookmark.path("metadata"))).containsExactly("resourceVersion");
      assertThat(watch.events()).allMatch(e -> e.path("type").asText().equals("BOOKMARK"));
    }
  }

  @Test
  void aWatchEndsAtItsTimeoutSecondsAndWithoutAllowWatchBookmarksGetsNone() {
    try (ApiServer api = start(new WatchSettings(Duration.ofMillis(100), Duration.ofSeconds(75),
        Duration.ofMinutes(30))); RawWatch watch = RawWatch.open(api, CONFIGMAPS + "?watch=true&timeoutSeconds=1")) {
      await().atMost(Duration.ofSeconds(10)).until(watch::ended);
      assertThat(watch.status()).isEqualTo(200);
      assertThat(watch.events()).isEmpty();
    }
  }

  @Test
  void aWatchWithoutTimeoutSecondsEndsAfterTheMinimumRequestTimeout() {
    try (ApiServer api = start(new WatchSettings(Duration.ofMinutes(1), Duration.ofSeconds(75),
        Duration.ofMillis(500))); RawWatch watch = RawWatch.open(api, CONFIGMAPS + "?watch=true")) {
      await().atMost(Duration.ofSeconds(10)).until(watch::ended);
      assertThat(watch.status()).isEqualTo(200);
    }
  }

  @Test
  void sendInitialEventsReplaysEveryObjectThenMarksTheEndWithABookmark() {
    try (ApiServer api = start(WatchSettings.defaults()); KubernetesClient client = api.client()) {
      client.resource(configMap("a")).create();
      client.resource(configMap("b")).create();
      String listed = client.configMaps().inNamespace("default").list().getMetadata().getResourceVersion();

      try (RawWatch watch = RawWatch.open(api, CONFIGMAPS + "?watch=true&sendInitialEvents=true"
          + "&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&resourceVersion=" + listed)) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !watch.events("BOOKMARK").isEmpty());
        List<String> seen = new ArrayList<>();
        watch.events().forEach(e -> seen.add(e.path("type").asText() + " "
            + e.path("object").path("metadata").path("name").asText("")));
        assertThat(seen).containsExactly("ADDED a", "ADDED b", "BOOKMARK ");
        JsonNode end = watch.events("BOOKMARK").get(0).path("object").path("metadata");
        assertThat(end.path("annotations").path("k8s.io/initial-events-end").asText()).isEqualTo("true");
        assertThat(end.path("resourceVersion").asLong()).isGreaterThanOrEqualTo(Long.parseLong(listed));
      }
    }
  }

  @Test
  void sendInitialEventsWithoutNotOlderThanOrBookmarksIsRefusedAsUpstreamDoes() throws Exception {
    try (ApiServer api = start(WatchSettings.defaults())) {
      HttpResponse<String> refused = get(api, CONFIGMAPS + "?watch=true&sendInitialEvents=true");

      assertThat(refused.statusCode()).isEqualTo(422);
      assertThat(refused.body()).contains("ListOptions.meta.k8s.io \\\"\\\" is invalid",
          "resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan",
          "allowWatchBookmarks: Forbidden: sendInitialEvents requires setting allowWatchBookmarks to true");
      assertThat(get(api, CONFIGMAPS + "?sendInitialEvents=true").body())
          .contains("sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list");
    }
  }

  @Test
  void aWatchFromBeforeTheCacheWindowGetsTooOldResourceVersionAndFabric8HearsGone() throws Exception {
    try (ApiServer api = start(new WatchSettings(Duration.ofMinutes(1), Duration.ofMillis(300),
        Duration.ofMinutes(30))); KubernetesClient client = api.client()) {
      String old = client.resource(configMap("first")).create().getMetadata().getResourceVersion();
      client.resource(configMap("second")).create();

      JsonNode error = await().atMost(Duration.ofSeconds(10)).until(() -> firstEventFrom(api, old),
          e -> e.path("type").asText().equals("ERROR"));
      assertThat(error.path("object").path("code").asInt()).isEqualTo(410);
      assertThat(error.path("object").path("reason").asText()).isEqualTo("Expired");
      assertThat(error.path("object").path("message").asText()).startsWith("too old resource version: " + old + " (");
      assertThat(api.expiredWatches()).isPositive();

      CompletableFuture<WatcherException> closed = new CompletableFuture<>();
      try (Watch watch = client.configMaps().inNamespace("default").withResourceVersion(old).watch(new Watcher<>() {
        @Override
        public void eventReceived(Action action, ConfigMap resource) {
        }

        @Override
        public void onClose(WatcherException cause) {
          closed.complete(cause);
        }
      })) {
        assertThat(closed.get(10, java.util.concurrent.TimeUnit.SECONDS).isHttpGone()).isTrue();
      }

      // from a fresh list, the same server watches as usual
      String fresh = client.configMaps().inNamespace("default").list().getMetadata().getResourceVersion();
      try (RawWatch watch = RawWatch.open(api, CONFIGMAPS + "?watch=true&timeoutSeconds=30&resourceVersion=" + fresh)) {
        client.resource(configMap("third")).create();
        await().atMost(Duration.ofSeconds(10)).until(() -> !watch.events().isEmpty());
        assertThat(watch.events().get(0).path("type").asText()).isEqualTo("ADDED");
      }
    }
  }

  /** The first event of a watch from {@code version} (ADDED of a later object while the window covers it). */
  private static JsonNode firstEventFrom(ApiServer api, String version) {
    try (RawWatch watch = RawWatch.open(api, CONFIGMAPS + "?watch=true&timeoutSeconds=5&resourceVersion=" + version)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> !watch.events().isEmpty());
      return watch.events().get(0);
    }
  }

  static ApiServer start(WatchSettings settings) {
    return ApiServer.start(ApiServerOptions.defaults().withoutClasspathCrds().withWatch(settings));
  }

  static HttpResponse<String> get(ApiServer api, String pathAndQuery) throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(api.url().resolve(pathAndQuery)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static ConfigMap configMap(String name) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
        .addToData("n", Integer.toString(NAMES.incrementAndGet())).build();
  }

  private static long version(JsonNode event) {
    return event.path("object").path("metadata").path("resourceVersion").asLong();
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
