package dev.hotfix.sandbox.cluster;

import dev.hotfix.notify.EventRecorder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The sandbox's cluster behind the API: a Deployment controller, a ReplicaSet controller, a
 * StatefulSet controller, a DaemonSet controller, a Job controller, a kubelet for three nodes
 * (cascading deletion is the API front's, as a real cluster's garbage collector), all driven by one shared informer per kind (all
 * namespaces) and talking to the API server only through {@code client}, as
 * kube-controller-manager and a kubelet would.
 *
 * <p>Use: {@code try (var cluster = new SimulatedCluster(client, ClusterTiming.defaults())) {
 * cluster.start(); ... }}. Each controller has its own work queue and worker threads; informer
 * callbacks only enqueue keys.
 */
public final class SimulatedCluster implements AutoCloseable {

  private static final long SYNC_TIMEOUT_SECONDS = 60;

  private final KubernetesClient client;
  private final ClusterTiming timing;
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private final List<Runnable> stops = new ArrayList<>();
  private boolean started;

  /**
   * @param client a client for the API server the cluster lives behind
   * @param timing how fast simulated pods start, crash and back off
   */
  public SimulatedCluster(KubernetesClient client, ClusterTiming timing) {
    this.client = client;
    this.timing = timing;
  }

  /**
   * Starts the informers and controllers; returns once the informers have listed everything, so
   * existing objects are being reconciled.
   *
   * @throws IllegalStateException if already started or the informers cannot sync
   */
  public synchronized void start() {
    if (started) {
      throw new IllegalStateException("the simulated cluster is already started");
    }
    started = true;
    SharedIndexInformer<Deployment> deployments =
        client.apps().deployments().inAnyNamespace().runnableInformer(0);
    SharedIndexInformer<ReplicaSet> replicaSets =
        client.apps().replicaSets().inAnyNamespace().runnableInformer(0);
    SharedIndexInformer<StatefulSet> statefulSets =
        client.apps().statefulSets().inAnyNamespace().runnableInformer(0);
    SharedIndexInformer<ControllerRevision> revisions =
        client.apps().controllerRevisions().inAnyNamespace().runnableInformer(0);
    SharedIndexInformer<DaemonSet> daemonSets = client.apps().daemonSets().inAnyNamespace().runnableInformer(0);
    SharedIndexInformer<Node> nodes = client.nodes().runnableInformer(0);
    SharedIndexInformer<Pod> pods = client.pods().inAnyNamespace().runnableInformer(0);
    SharedIndexInformer<Job> jobs = client.batch().v1().jobs().inAnyNamespace().runnableInformer(0);
    replicaSets.addIndexers(ControllerRefs.indexer());
    revisions.addIndexers(ControllerRefs.indexer());
    pods.addIndexers(ControllerRefs.indexer());
    informers.addAll(List.of(deployments, replicaSets, statefulSets, daemonSets, revisions, nodes, pods, jobs));

    EventRecorder events = new EventRecorder(client, Clock.systemUTC());
    DeploymentController deploymentController =
        new DeploymentController(client, deployments, replicaSets, pods, events, 2);
    ReplicaSetController replicaSetController = new ReplicaSetController(client, replicaSets, pods, 2);
    StatefulSetController statefulSetController =
        new StatefulSetController(client, statefulSets, revisions, pods, events, 2);
    DaemonSetController daemonSetController =
        new DaemonSetController(client, daemonSets, revisions, pods, nodes, events, 2);
    Kubelet kubelet = new Kubelet(client, pods, replicaSets, timing, events, 4);
    JobController jobController = new JobController(client, jobs, pods, timing, events, 2);
    stops.addAll(
        List.of(
            deploymentController::close,
            replicaSetController::close,
            jobController::close,
            statefulSetController::close,
            daemonSetController::close,
            kubelet::close,
            events::close));

    try {
      CompletableFuture.allOf(
              informers.stream().map(i -> i.start().toCompletableFuture()).toArray(CompletableFuture[]::new))
          .get(SYNC_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new IllegalStateException("interrupted while the informers were syncing", e);
    } catch (ExecutionException | TimeoutException e) {
      close();
      throw new IllegalStateException("the simulated cluster's informers did not sync", e);
    }
    kubelet.start();
    replicaSetController.start();
    deploymentController.start();
    jobController.start();
    statefulSetController.start();
    daemonSetController.start();
  }

  /** Stops the controllers and informers; no thread of the cluster is left running. */
  @Override
  public synchronized void close() {
    stops.forEach(Runnable::run);
    stops.clear();
    for (SharedIndexInformer<?> informer : informers) {
      informer.stop();
    }
    informers.clear();
  }
}
