package dev.hotfix.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The API server as the operator sees it: through a fabric8 client. */
class ApiServerClientTest {
  private static ApiServer api;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    api = ApiFixtures.startWithWidgets();
    client = api.client();
  }

  @AfterAll
  static void stop() {
    client.close();
    api.close();
  }

  @Test
  void createGetListUpdateDelete() {
    ConfigMap created = client.configMaps().resource(configMap("crud", "a")).create();
    assertThat(created.getMetadata().getUid()).isNotBlank();
    assertThat(created.getMetadata().getNamespace()).isEqualTo("default");

    assertThat(client.configMaps().withName("crud").get().getData()).containsEntry("key", "a");
    assertThat(client.configMaps().list().getItems()).extracting(c -> c.getMetadata().getName()).contains("crud");

    ConfigMap changed = client.configMaps().withName("crud").edit(c -> {
      c.getData().put("key", "b");
      return c;
    });
    assertThat(changed.getData()).containsEntry("key", "b");
    assertThat(Long.parseLong(changed.getMetadata().getResourceVersion()))
        .isGreaterThan(Long.parseLong(created.getMetadata().getResourceVersion()));

    assertThat(client.configMaps().withName("crud").delete()).hasSize(1);
    assertThat(client.configMaps().withName("crud").get()).isNull();
  }

  @Test
  void createOfAnExistingObjectIsAlreadyExists() {
    client.configMaps().resource(configMap("twice", "a")).create();
    assertThatThrownBy(() -> client.configMaps().resource(configMap("twice", "a")).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(409);
          assertThat(e.getStatus().getReason()).isEqualTo("AlreadyExists");
          assertThat(e.getStatus().getMessage()).isEqualTo("configmaps \"twice\" already exists");
        });
  }

  @Test
  void staleResourceVersionIsConflict() {
    ConfigMap created = client.configMaps().resource(configMap("stale", "a")).create();
    client.configMaps().withName("stale").edit(c -> {
      c.getData().put("key", "b");
      return c;
    });
    created.getData().put("key", "c");
    assertThatThrownBy(() -> client.configMaps().resource(created).update())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(409);
          assertThat(e.getStatus().getReason()).isEqualTo("Conflict");
          assertThat(e.getStatus().getMessage()).startsWith(
              "Operation cannot be fulfilled on configmaps \"stale\": the object has been modified");
        });
    assertThat(client.configMaps().withName("stale").get().getData()).containsEntry("key", "b");
  }

  @Test
  void statusIsASubresourceOfBuiltInWorkloads() {
    client.apps().deployments().resource(ApiFixtures.deployment("status-demo", "nginx:1")).create();

    Deployment withStatus = client.apps().deployments().withName("status-demo").get();
    withStatus.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
        .withReplicas(1).withReadyReplicas(1).build());
    client.apps().deployments().resource(withStatus).updateStatus();

    // a write to the object itself cannot change the status...
    Deployment edited = client.apps().deployments().withName("status-demo").edit(d -> {
      d.getSpec().setReplicas(3);
      d.getStatus().setReadyReplicas(99);
      return d;
    });
    assertThat(edited.getStatus().getReadyReplicas()).isEqualTo(1);
    assertThat(edited.getSpec().getReplicas()).isEqualTo(3);
    assertThat(edited.getMetadata().getGeneration()).isEqualTo(2L);

    // ...and a status write cannot change the spec
    edited.getSpec().setReplicas(7);
    edited.getStatus().setReadyReplicas(2);
    Deployment statusWritten = client.apps().deployments().resource(edited).updateStatus();
    assertThat(statusWritten.getSpec().getReplicas()).isEqualTo(3);
    assertThat(statusWritten.getStatus().getReadyReplicas()).isEqualTo(2);
  }

  @Test
  void customResourceStatusIsASubresource() {
    GenericKubernetesResource widget = ApiFixtures.widget("gadget");
    client.genericKubernetesResources("sandbox.test/v1alpha1", "Widget").resource(widget).create();
    GenericKubernetesResource stored = client.genericKubernetesResources("sandbox.test/v1alpha1", "Widget")
        .withName("gadget").get();
    stored.setAdditionalProperty("status", Map.of("phase", "Ready"));
    client.genericKubernetesResources("sandbox.test/v1alpha1", "Widget").resource(stored).updateStatus();

    assertThat(client.genericKubernetesResources("sandbox.test/v1alpha1", "Widget").withName("gadget").get()
        .getAdditionalProperties().get("status")).isEqualTo(Map.of("phase", "Ready"));
  }

  @Test
  void jsonMergePatchReplacesLists() {
    client.configMaps().resource(configMap("merge", "a")).create();
    client.apps().deployments().resource(ApiFixtures.deployment("merge", "nginx:1")).create();
    String patch = "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"nginx:2\"}]}}}}";

    Deployment patched = client.apps().deployments().withName("merge")
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch);

    assertThat(patched.getSpec().getTemplate().getSpec().getContainers()).singleElement()
        .satisfies(c -> assertThat(c.getImage()).isEqualTo("nginx:2"));
  }

  @Test
  void jsonPatchWithAFailedTestChangesNothing() {
    client.configMaps().resource(configMap("guarded", "a")).create();
    String patch = "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\"1\"},"
        + "{\"op\":\"replace\",\"path\":\"/data/key\",\"value\":\"b\"}]";
    assertThatThrownBy(() -> client.configMaps().withName("guarded").patch(PatchContext.of(PatchType.JSON), patch))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
    assertThat(client.configMaps().withName("guarded").get().getData()).containsEntry("key", "a");
  }

  @Test
  void informerSeesAddedModifiedDeleted() {
    List<String> events = new CopyOnWriteArrayList<>();
    SharedIndexInformer<ConfigMap> informer = client.configMaps().withLabel("watched", "yes")
        .inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(ConfigMap obj) {
            events.add("ADDED " + obj.getData().get("key"));
          }

          @Override
          public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
            events.add("MODIFIED " + newObj.getData().get("key"));
          }

          @Override
          public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
            events.add("DELETED " + obj.getData().get("key"));
          }
        });
    try {
      ConfigMap watched = configMap("watched", "one");
      watched.getMetadata().setLabels(Map.of("watched", "yes"));
      client.configMaps().resource(watched).create();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events).contains("ADDED one"));
      client.configMaps().withName("watched").edit(c -> {
        c.getData().put("key", "two");
        return c;
      });
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events).contains("MODIFIED two"));
      client.configMaps().withName("watched").delete();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events).contains("DELETED two"));
    } finally {
      informer.close();
    }
  }

  @Test
  void selfSubjectRulesReviewListsTheKubeconfigUsersClusterAdminRules() {
    SelfSubjectRulesReview review = client.resource(new SelfSubjectRulesReviewBuilder()
        .withNewSpec().withNamespace("default").endSpec().build()).create();

    assertThat(review.getStatus().getIncomplete()).isFalse();
    // cluster-admin (system:masters), then system:basic-user's (system:authenticated)
    assertThat(review.getStatus().getResourceRules()).first().satisfies(rule -> {
      assertThat(rule.getVerbs()).containsExactly("*");
      assertThat(rule.getApiGroups()).containsExactly("*");
      assertThat(rule.getResources()).containsExactly("*");
    });
    assertThat(review.getStatus().getResourceRules()).anySatisfy(rule ->
        assertThat(rule.getResources()).containsExactly("selfsubjectaccessreviews", "selfsubjectrulesreviews"));
    assertThat(review.getStatus().getNonResourceRules()).anySatisfy(rule ->
        assertThat(rule.getNonResourceURLs()).containsExactly("*"));
  }

  @Test
  void deletingADeploymentDeletesItsReplicaSetsAndTheirPods() {
    Deployment deployment = client.apps().deployments()
        .resource(ApiFixtures.deployment("cascade", "nginx:1")).create();
    var replicaSet = client.apps().replicaSets().resource(new ReplicaSetBuilder()
        .withNewMetadata().withName("cascade-abc").addNewOwnerReference().withApiVersion("apps/v1")
        .withKind("Deployment").withName("cascade").withUid(deployment.getMetadata().getUid()).endOwnerReference()
        .endMetadata()
        .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "cascade").endSelector()
        .withTemplate(deployment.getSpec().getTemplate()).endSpec().build()).create();
    client.pods().resource(new PodBuilder().withNewMetadata().withName("cascade-abc-x").addNewOwnerReference()
        .withApiVersion("apps/v1").withKind("ReplicaSet").withName("cascade-abc")
        .withUid(replicaSet.getMetadata().getUid()).endOwnerReference().endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("nginx:1").endContainer().endSpec().build())
        .create();
    client.configMaps().resource(configMap("bystander", "a")).create();

    client.apps().deployments().withName("cascade").delete();

    // the garbage collector works after the answer, as upstream's; the pod was never bound, so
    // it goes without a grace period
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(client.apps().replicaSets().withName("cascade-abc").get()).isNull();
      assertThat(client.pods().withName("cascade-abc-x").get()).isNull();
    });
    assertThat(client.configMaps().withName("bystander").get()).isNotNull();
  }

  @Test
  void concurrentPatchesLoseNoUpdate() throws Exception {
    ConfigMap shared = configMap("shared", "a");
    shared.getMetadata().setAnnotations(Map.of("origin", "test"));
    client.configMaps().resource(shared).create();
    int writers = 16;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<ConfigMap>> patches = new java.util.ArrayList<>();
      for (int i = 0; i < writers; i++) {
        String patch = "[{\"op\":\"add\",\"path\":\"/metadata/annotations/writer-" + i + "\",\"value\":\"x\"}]";
        patches.add(pool.submit(() -> client.configMaps().withName("shared").patch(PatchContext.of(PatchType.JSON),
            patch)));
      }
      for (Future<ConfigMap> patch : patches) {
        patch.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(client.configMaps().withName("shared").get().getMetadata().getAnnotations())
        .hasSize(writers + 1);
  }

  @Test
  void dryRunStoresNothing() {
    ConfigMap answered = client.configMaps().resource(configMap("dry", "a")).dryRun().create();

    assertThat(answered.getData()).containsEntry("key", "a");
    assertThat(answered.getMetadata().getUid()).isNotBlank();
    assertThat(client.configMaps().withName("dry").get()).isNull();
  }

  /**
   * As upstream's garbage collector: orphaned dependents stay, without their ownerReference to
   * the deleted owner (other owners kept). Seen failing while orphaning left the reference.
   */
  @Test
  void orphaningDeleteKeepsDependentsWithoutTheirReferenceToTheOwner() {
    ConfigMap owner = client.configMaps().resource(configMap("owner", "a")).create();
    ConfigMap other = client.configMaps().resource(configMap("other-owner", "c")).create();
    ConfigMap dependent = configMap("dependent", "b");
    dependent.getMetadata().setOwnerReferences(List.of(ownerReference(owner), ownerReference(other)));
    client.configMaps().resource(dependent).create();

    client.configMaps().withName("owner").withPropagationPolicy(DeletionPropagation.ORPHAN).delete();

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(client.configMaps().withName("owner").get()).isNull();
      assertThat(client.configMaps().withName("dependent").get().getMetadata().getOwnerReferences())
          .extracting(io.fabric8.kubernetes.api.model.OwnerReference::getName).containsExactly("other-owner");
    });
  }

  /**
   * Upstream's foreground deletion: the owner is answered marked (deletionTimestamp,
   * foregroundDeletion) and stays while a blocking dependent (blockOwnerDeletion) held by its own
   * finalizer lives; a dependent with another owner lives on without the reference; the owner goes
   * with its last blocking dependent. Seen failing while Foreground acted as Background (the owner
   * was gone at once). (Non-blocking dependents: {@code GarbageCollectionTest}.)
   */
  @Test
  void foregroundDeleteKeepsTheOwnerUntilItsDependentsAreGone() {
    ConfigMap owner = client.configMaps().resource(configMap("fg-owner", "a")).create();
    ConfigMap other = client.configMaps().resource(configMap("fg-other", "c")).create();
    ConfigMap plain = configMap("fg-plain", "b");
    plain.getMetadata().setOwnerReferences(List.of(ownerReference(owner)));
    client.configMaps().resource(plain).create();
    ConfigMap held = configMap("fg-held", "b");
    held.getMetadata().setOwnerReferences(List.of(blockingReference(owner)));
    held.getMetadata().setFinalizers(List.of("example.com/hold"));
    client.configMaps().resource(held).create();
    ConfigMap shared = configMap("fg-shared", "b");
    shared.getMetadata().setOwnerReferences(List.of(ownerReference(owner), ownerReference(other)));
    client.configMaps().resource(shared).create();

    client.configMaps().withName("fg-owner").withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(client.configMaps().withName("fg-plain").get()).isNull();
      assertThat(client.configMaps().withName("fg-held").get().getMetadata().getDeletionTimestamp()).isNotNull();
      assertThat(client.configMaps().withName("fg-shared").get().getMetadata().getOwnerReferences())
          .extracting(io.fabric8.kubernetes.api.model.OwnerReference::getName).containsExactly("fg-other");
    });
    ConfigMap waiting = client.configMaps().withName("fg-owner").get();
    assertThat(waiting.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(waiting.getMetadata().getFinalizers()).containsExactly("foregroundDeletion");

    client.configMaps().withName("fg-held").patch(PatchContext.of(PatchType.JSON),
        "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]");

    assertThat(client.configMaps().withName("fg-held").get()).isNull();
    await().atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(client.configMaps().withName("fg-owner").get()).isNull());
  }

  private static io.fabric8.kubernetes.api.model.OwnerReference blockingReference(ConfigMap owner) {
    io.fabric8.kubernetes.api.model.OwnerReference reference = ownerReference(owner);
    reference.setBlockOwnerDeletion(true);
    return reference;
  }

  private static io.fabric8.kubernetes.api.model.OwnerReference ownerReference(ConfigMap owner) {
    return new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap")
        .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).build();
  }

  @Test
  void coreEventsAndEventsApiEventsAreListedApart() {
    client.v1().events().resource(new io.fabric8.kubernetes.api.model.EventBuilder().withNewMetadata()
        .withName("core-event").endMetadata().withReason("Tested").build()).create();
    client.events().v1().events().resource(new io.fabric8.kubernetes.api.model.events.v1.EventBuilder()
        .withNewMetadata().withName("new-event").endMetadata().withReason("Tested").build()).create();

    assertThat(client.v1().events().list().getItems()).extracting(e -> e.getMetadata().getName())
        .contains("core-event").doesNotContain("new-event");
    assertThat(client.events().v1().events().list().getItems()).extracting(e -> e.getMetadata().getName())
        .contains("new-event").doesNotContain("core-event");
  }

  @Test
  void discoveryAndHealthEndpoints() throws Exception {
    JsonNode group = CrudStore.JSON.readTree(client.raw("/apis/sandbox.test"));
    JsonNode resources = CrudStore.JSON.readTree(client.raw("/apis/apps/v1"));

    assertThat(group.path("kind").asText()).isEqualTo("APIGroup");
    assertThat(group.path("preferredVersion").path("groupVersion").asText()).isEqualTo("sandbox.test/v1alpha1");
    assertThat(resources.findValuesAsText("name")).contains("deployments", "deployments/status", "deployments/scale");
    assertThat(client.raw("/healthz")).isEqualTo("ok");
    assertThat(client.raw("/openapi/v2")).as("kubectl must not use OpenAPI v2").isNull();
    assertThat(client.getKubernetesVersion().getMinor()).isEqualTo(Discovery.KUBERNETES_MINOR);
  }

  @Test
  void deletingANamespaceDeletesWhatIsInIt() {
    client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
        .withName("doomed").endMetadata().build()).create();
    client.configMaps().inNamespace("doomed").resource(configMap("inside", "a")).create();
    client.configMaps().resource(configMap("outside", "a")).create();

    client.namespaces().withName("doomed").delete();

    assertThat(client.configMaps().inNamespace("doomed").withName("inside").get()).isNull();
    assertThat(client.configMaps().withName("outside").get()).isNotNull();
  }

  @Test
  void aCrdIsServedOnceCreatedAndNoLongerOnceDeleted() {
    var crd = new io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder()
        .withNewMetadata().withName("gizmos.sandbox.test").endMetadata()
        .withNewSpec().withGroup("sandbox.test").withScope("Namespaced")
        .withNewNames().withPlural("gizmos").withKind("Gizmo").endNames()
        .addNewVersion().withName("v1").withServed(true).withStorage(true).withNewSchema()
        .withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema()
        .endSchema().endVersion().endSpec().build();

    client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    assertThat(client.raw("/apis/sandbox.test/v1")).contains("\"Gizmo\"");
    assertThat(client.apiextensions().v1().customResourceDefinitions().withName("gizmos.sandbox.test").get()
        .getStatus().getConditions()).anySatisfy(c -> {
          assertThat(c.getType()).isEqualTo("Established");
          assertThat(c.getStatus()).isEqualTo("True");
        });

    client.apiextensions().v1().customResourceDefinitions().withName("gizmos.sandbox.test").delete();
    assertThat(client.raw("/apis/sandbox.test/v1")).isNull();
  }

  @Test
  void scaleSubresourceSetsReplicas() {
    client.apps().deployments().resource(ApiFixtures.deployment("scaled", "nginx:1")).create();

    client.apps().deployments().withName("scaled").scale(4);

    assertThat(client.apps().deployments().withName("scaled").get().getSpec().getReplicas()).isEqualTo(4);
  }

  private static ConfigMap configMap(String name, String value) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().addToData("key", value).build();
  }
}
