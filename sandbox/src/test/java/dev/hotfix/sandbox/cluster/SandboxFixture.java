package dev.hotfix.sandbox.cluster;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import dev.hotfix.sandbox.api.ApiServer;
import dev.hotfix.sandbox.api.ApiServerOptions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A simulated cluster behind fabric8's CRUD mock API server on loopback, with a fast pace, and
 * the few client-side moves the tests make (create, set image, patch) written as a client such
 * as kubectl would: JSON patches of just the fields it changes. Registered as a JUnit extension,
 * one sandbox serves a whole test class.
 */
final class SandboxFixture implements BeforeAllCallback, AfterAllCallback {

  static final String NS = "apps";

  /** Fast enough for tests, slow enough that every intermediate state is observable. */
  static final ClusterTiming FAST =
      new ClusterTiming(
          Duration.ofMillis(300),
          Duration.ofMillis(300),
          Duration.ofMillis(300),
          Duration.ofMillis(1200),
          Duration.ofMillis(300));

  ApiServer server;
  KubernetesClient client;
  private SimulatedCluster cluster;

  /** The mock server logs every request through java.util.logging; tests need only its warnings. */
  private static final Logger MOCK_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_SERVER_LOG.setLevel(Level.WARNING);
  }

  /** Starts the mock API server and the cluster behind it. */
  void start() {
    server = apiServer();
    client = server.client();
    cluster = new SimulatedCluster(client, FAST);
    cluster.start();
  }

  /** The sandbox's API server (fabric8's CRUD mock behind the kubectl front), on a free loopback port. */
  static ApiServer apiServer() {
    return ApiServer.start(ApiServerOptions.defaults());
  }

  /** A RollingUpdate Deployment {@code name} of {@code replicas} pods running {@code image}. */
  static DeploymentBuilder deployment(String name, String image, int replicas) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NS)
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage(image)
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec();
  }

  static DeploymentBuilder rolling(DeploymentBuilder d, Object maxSurge, Object maxUnavailable) {
    return d.editSpec()
        .withNewStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxSurge(intOrString(maxSurge))
        .withMaxUnavailable(intOrString(maxUnavailable))
        .endRollingUpdate()
        .endStrategy()
        .endSpec();
  }

  private static IntOrString intOrString(Object value) {
    return value instanceof Integer i ? new IntOrString(i) : new IntOrString(value.toString());
  }

  Deployment create(Deployment d) {
    return client.apps().deployments().resource(d).create();
  }

  Deployment get(String name) {
    return client.apps().deployments().inNamespace(NS).withName(name).get();
  }

  /** What {@code kubectl set image} changes. */
  void setImage(String name, String image) {
    patch(name, Map.of("op", "replace", "path", "/spec/template/spec/containers/0/image", "value", image));
  }

  /** Applies RFC 6902 operations to a Deployment, as a client that only touches what it changes. */
  @SafeVarargs
  final void patch(String name, Map<String, Object>... operations) {
    client.apps().deployments().inNamespace(NS).withName(name)
        .patch(PatchContext.of(PatchType.JSON), Serialization.asJson(List.of(operations)));
  }

  /** The Deployment's ReplicaSets, oldest revision first. */
  List<ReplicaSet> replicaSets(String name) {
    return client.apps().replicaSets().inNamespace(NS).withLabel("app", name).list().getItems().stream()
        .sorted(Comparator.comparingLong(ReplicaSets::revision))
        .toList();
  }

  List<Pod> pods(String name) {
    return client.pods().inNamespace(NS).withLabel("app", name).list().getItems();
  }

  /** Whether the rollout is done the way {@code kubectl rollout status} judges it. */
  boolean rolledOut(String name) {
    Deployment d = get(name);
    var s = d.getStatus();
    int replicas = d.getSpec().getReplicas();
    return s != null
        && s.getObservedGeneration() != null
        && s.getObservedGeneration() >= d.getMetadata().getGeneration()
        && s.getUpdatedReplicas() != null && s.getUpdatedReplicas() == replicas
        && s.getReplicas() != null && s.getReplicas() == replicas
        && s.getAvailableReplicas() != null && s.getAvailableReplicas() == replicas;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    cluster.close();
    client.close();
    server.close();
  }
}
