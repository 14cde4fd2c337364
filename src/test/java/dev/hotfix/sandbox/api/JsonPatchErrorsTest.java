package dev.hotfix.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RFC 6902 JSON patches answered as upstream answers them: an operation that does not apply
 * (removing a missing key, a failed test, replacing a missing path) is 422 Invalid with
 * upstream's message, and changes nothing. Seen failing: with zjsonpatch's default flags the
 * removal of a missing key succeeded.
 */
class JsonPatchErrorsTest {

  private static final String UPSTREAM_MESSAGE = "the server rejected our request due to an error in our request";
  private static ApiServer server;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    server = ApiServer.start(ApiServerOptions.defaults());
    client = server.client();
    client.configMaps().inNamespace("default").resource(
        new ConfigMapBuilder().withNewMetadata().withName("settings").addToLabels("tier", "web").endMetadata()
            .addToData("mode", "fast").build()).create();
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  @Test
  void removingAMissingKeyIsRefused() {
    assertRefused("[{\"op\":\"remove\",\"path\":\"/metadata/labels/missing\"}]");
  }

  @Test
  void aFailedTestIsRefused() {
    assertRefused("[{\"op\":\"test\",\"path\":\"/data/mode\",\"value\":\"slow\"},"
        + "{\"op\":\"replace\",\"path\":\"/data/mode\",\"value\":\"off\"}]");
  }

  @Test
  void replacingAMissingPathIsRefused() {
    assertRefused("[{\"op\":\"replace\",\"path\":\"/data/missing\",\"value\":\"x\"}]");
  }

  @Test
  void aPassingTestLetsThePatchApply() {
    ConfigMap patched = settings().patch(PatchContext.of(PatchType.JSON),
        "[{\"op\":\"test\",\"path\":\"/metadata/labels/tier\",\"value\":\"web\"},"
            + "{\"op\":\"add\",\"path\":\"/metadata/labels/checked\",\"value\":\"yes\"},"
            + "{\"op\":\"remove\",\"path\":\"/metadata/labels/checked\"}]");

    assertThat(patched.getMetadata().getLabels()).containsOnlyKeys("tier");
  }

  private static void assertRefused(String patch) {
    String before = settings().get().getMetadata().getResourceVersion();

    assertThatThrownBy(() -> settings().patch(PatchContext.of(PatchType.JSON), patch))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(422);
          assertThat(e.getStatus().getReason()).isEqualTo("Invalid");
          assertThat(e.getStatus().getMessage()).isEqualTo(UPSTREAM_MESSAGE);
        });
    assertThat(settings().get().getMetadata().getResourceVersion()).isEqualTo(before);
  }

  private static io.fabric8.kubernetes.client.dsl.Resource<ConfigMap> settings() {
    return client.configMaps().inNamespace("default").withName("settings");
  }
}
