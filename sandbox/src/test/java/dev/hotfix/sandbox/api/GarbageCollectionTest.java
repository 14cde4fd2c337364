package dev.hotfix.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The garbage collector as upstream's: after the delete is answered, with the {@code orphan} and
 * {@code foregroundDeletion} finalizers on the owner, and only dependents with
 * {@code blockOwnerDeletion: true} holding a foreground owner. Seen failing with every dependent
 * blocking (the owner of a non-blocking dependent stayed), without the orphan finalizer (the
 * answer had none) and with foreground dependents deleted in the background (the owner went
 * before its grandchild).
 */
class GarbageCollectionTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String HOLD = "example.com/hold";
  @RegisterExtension static final ApiServerExtension sandbox = new ApiServerExtension();
  private static KubernetesClient client;

  @BeforeAll
  static void client() {
    client = sandbox.client;
  }

  @Test
  void aForegroundOwnerDoesNotWaitForDependentsThatDoNotBlockIt() {
    ConfigMap owner = create(configMap("nb-owner"));
    create(dependent("nb-held", reference(owner, false), HOLD));

    client.configMaps().withName("nb-owner").withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();

    await().atMost(WAIT).until(() -> client.configMaps().withName("nb-owner").get() == null);
    ConfigMap held = client.configMaps().withName("nb-held").get();
    assertThat(held.getMetadata().getDeletionTimestamp()).as("deleted, held by its own finalizer").isNotNull();
    release("nb-held");
  }

  @Test
  void aForegroundOwnerWaitsForItsGrandchildrenThroughItsChildren() {
    ConfigMap owner = create(configMap("chain-owner"));
    ConfigMap child = create(dependent("chain-child", reference(owner, true), null));
    create(dependent("chain-grandchild", reference(child, true), HOLD));

    client.configMaps().withName("chain-owner").withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();

    // the child, having a dependent, is deleted in the foreground too and waits for it
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(client.configMaps().withName("chain-child").get().getMetadata().getFinalizers())
          .containsExactly("foregroundDeletion");
      assertThat(client.configMaps().withName("chain-grandchild").get().getMetadata().getDeletionTimestamp())
          .isNotNull();
    });
    assertThat(client.configMaps().withName("chain-owner").get().getMetadata().getFinalizers())
        .containsExactly("foregroundDeletion");

    release("chain-grandchild");

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(client.configMaps().withName("chain-child").get()).isNull();
      assertThat(client.configMaps().withName("chain-owner").get()).isNull();
    });
  }

  @Test
  void anOrphaningDeleteMarksTheOwnerUntilItsDependentsAreReleased() throws Exception {
    ConfigMap owner = configMap("orphan-owner");
    owner.getMetadata().setFinalizers(List.of(HOLD));
    owner = create(owner);
    create(dependent("orphan-child", reference(owner, true), null));

    HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(sandbox.api.url() + "/api/v1/namespaces/default/configmaps/orphan-owner"))
        .method("DELETE", HttpRequest.BodyPublishers.ofString("{\"propagationPolicy\":\"Orphan\"}"))
        .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(200);
    JsonNode marked = CrudStore.JSON.readTree(answer.body()).path("metadata");
    assertThat(marked.path("deletionTimestamp").asText()).isNotEmpty();
    assertThat(marked.path("finalizers").toString()).contains("\"orphan\"").contains(HOLD);
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(client.configMaps().withName("orphan-child").get().getMetadata().getOwnerReferences()).isEmpty();
      assertThat(client.configMaps().withName("orphan-owner").get().getMetadata().getFinalizers())
          .containsExactly(HOLD);
    });

    release("orphan-owner");

    await().atMost(WAIT).until(() -> client.configMaps().withName("orphan-owner").get() == null);
    assertThat(client.configMaps().withName("orphan-child").get()).isNotNull();
  }

  private static ConfigMap create(ConfigMap configMap) {
    return client.configMaps().resource(configMap).create();
  }

  private static void release(String name) {
    client.configMaps().withName(name).patch(PatchContext.of(PatchType.JSON),
        "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]");
  }

  private static ConfigMap configMap(String name) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().addToData("key", name).build();
  }

  private static ConfigMap dependent(String name, OwnerReference owner, String finalizer) {
    ConfigMap dependent = configMap(name);
    dependent.getMetadata().setOwnerReferences(List.of(owner));
    if (finalizer != null) {
      dependent.getMetadata().setFinalizers(List.of(finalizer));
    }
    return dependent;
  }

  private static OwnerReference reference(ConfigMap owner, boolean blocking) {
    return new OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap")
        .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
        .withBlockOwnerDeletion(blocking).build();
  }
}
