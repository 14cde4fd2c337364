package dev.hotfix.sandbox.app;

import dev.hotfix.json.KubernetesJson;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.stream.IntStream;

/**
 * Pods as a Deployment's ReplicaSet would create them, on fabric8's mock API server in CRUD
 * mode: the simulated app only ever sees them through a real client and a real watch.
 */
public final class PodFixtures {

  private PodFixtures() {}

  /** A started mock API server that stores what it is sent; destroy it when done. */
  public static KubernetesMockServer startCrudServer() {
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(KubernetesJson.MAPPER),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    return server;
  }

  /**
   * Creates pod {@code <deployment>-<hash>-<suffix>} owned by ReplicaSet
   * {@code <deployment>-<hash>}, with one container per image, not yet ready.
   */
  public static Pod createPod(
      KubernetesClient client, String namespace, String deployment, String suffix,
      String... images) {
    String hash = "7f9c8d6b5";
    String replicaSet = deployment + "-" + hash;
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace(namespace)
            .withName(replicaSet + "-" + suffix)
            .addToLabels("app", deployment)
            .addToLabels("pod-template-hash", hash)
            .addNewOwnerReference()
            .withApiVersion("apps/v1")
            .withKind("ReplicaSet")
            .withName(replicaSet)
            .withUid("rs-" + replicaSet)
            .withController(true)
            .endOwnerReference()
            .endMetadata()
            .withNewSpec()
            .withContainers(
                IntStream.range(0, images.length)
                    .mapToObj(i -> new ContainerBuilder().withName("c" + i)
                        .withImage(images[i]).build())
                    .toList())
            .endSpec()
            .build();
    return client.resource(pod).create();
  }

  /**
   * A ready pod object as the informer would deliver it, for tests of the traffic model that
   * need no API server.    */
  public static Pod readyPod(String namespace, String name, String uid, String image) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .withUid(uid)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage(image)
        .endContainer()
        .endSpec()
        .withNewStatus()
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .endCondition()
        .endStatus()
        .build();
  }

  /** Sets the pod's Ready condition through the status subresource, as a kubelet does. */
  public static Pod setReady(KubernetesClient client, Pod pod, boolean ready) {
    Pod latest = client.resource(pod).get();
    latest.setStatus(
        new PodStatusBuilder()
            .withPhase("Running")
            .withConditions(
                new PodConditionBuilder()
                    .withType("Ready")
                    .withStatus(ready ? "True" : "False")
                    .build())
            .build());
    return client.resource(latest).updateStatus();
  }
}
