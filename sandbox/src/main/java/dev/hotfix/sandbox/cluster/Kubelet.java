package dev.hotfix.sandbox.cluster;

import dev.hotfix.notify.EventRecorder;
import dev.hotfix.sandbox.ImageBehaviour;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sandbox's nodes ({@link #NODE_NAMES}, all on this machine) and its scheduler: binds a pod
 * that a required node affinity pins to one node (a DaemonSet's) there, every other unscheduled
 * pod onto {@value #NODE_NAME}, and, in place
 * of running containers, reports the status each container's image tag calls for (see
 * {@link ContainerTimeline}), or the crash injected into its ReplicaSet ({@link InjectedCrash}).
 * A pod is synced when it or that annotation changes and again exactly when its simulated
 * containers will next change state (start, crash, back-off end), never by polling. A pod marked
 * for deletion is stopped as {@link PodShutdown} describes, then deleted with no grace.
 */
final class Kubelet implements AutoCloseable {

  /** The node every pod without a node affinity is bound to. */
  static final String NODE_NAME = "sandbox-node";
  /** Every node the kubelet registers and runs pods on; DaemonSets run one pod on each. */
  static final List<String> NODE_NAMES = List.of(NODE_NAME, "sandbox-node-2", "sandbox-node-3");
  /** The component name on the kubelet's events. */
  static final String COMPONENT = "kubelet";
  private static final EventSource SOURCE = new EventSource(COMPONENT, NODE_NAME);
  private static final String HOSTNAME_FIELD = "metadata.name";
  /** Where scheduling events come from: the scheduler, on no node. */
  private static final EventSource SCHEDULER = new EventSource("default-scheduler", null);

  private final KubernetesClient client;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<ReplicaSet> replicaSets;
  private final ClusterTiming timing;
  private final EventRecorder events;
  private final WorkQueue queue;
  private final Map<String, PodRuntime> runtimes = new ConcurrentHashMap<>();
  private final AtomicInteger addresses = new AtomicInteger();
  /** The pods whose containers have been told to stop (their Killing events recorded), by uid. */
  private final Set<String> killing = ConcurrentHashMap.newKeySet();

  /**
   * What the kubelet remembers about a pod it runs: when it was bound, its address, and when an
   * injected crash began for it (null: none), kept once seen as a crashed process stays crashed.
   */
  private record PodRuntime(String uid, Instant boundAt, String podIP, Instant crashingSince) {
    PodRuntime crashingFrom(Instant since) {
      return crashingSince != null || since == null ? this : new PodRuntime(uid, boundAt, podIP, since);
    }
  }

  Kubelet(KubernetesClient client, SharedIndexInformer<Pod> pods, SharedIndexInformer<ReplicaSet> replicaSets,
      ClusterTiming timing, EventRecorder events, int workers) {
    this.client = client;
    this.pods = pods;
    this.replicaSets = replicaSets;
    this.timing = timing;
    this.events = events;
    this.queue = new WorkQueue("kubelet", workers, this::sync);
    pods.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod pod) {
            queue.add(ControllerRefs.keyOf(pod));
          }

          @Override
          public void onUpdate(Pod before, Pod after) {
            queue.add(ControllerRefs.keyOf(after));
          }

          @Override
          public void onDelete(Pod pod, boolean finalStateUnknown) {
            runtimes.remove(ControllerRefs.keyOf(pod));
            killing.remove(pod.getMetadata().getUid());
          }
        });
    replicaSets.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(ReplicaSet rs) {
            crashAnnotationChanged(null, rs);
          }

          @Override
          public void onUpdate(ReplicaSet before, ReplicaSet after) {
            crashAnnotationChanged(before, after);
          }

          @Override
          public void onDelete(ReplicaSet rs, boolean finalStateUnknown) {}
        });
  }

  /** A crash injected into (or taken off) a ReplicaSet: its pods are synced, a bad value is reported. */
  private void crashAnnotationChanged(ReplicaSet before, ReplicaSet after) {
    String was = before == null ? null : annotation(before);
    if (Objects.equals(was, annotation(after))) {
      return;
    }
    InjectedCrash.problem(after).ifPresent(problem -> events.record(after, SOURCE, EventRecorder.WARNING,
        "InvalidCrashInjection", problem));
    for (Pod pod : pods.getIndexer().byIndex(ControllerRefs.BY_CONTROLLER_UID, after.getMetadata().getUid())) {
      queue.add(ControllerRefs.keyOf(pod));
    }
  }

  private static String annotation(ReplicaSet rs) {
    return rs.getMetadata().getAnnotations() == null ? null : rs.getMetadata().getAnnotations().get(InjectedCrash.ANNOTATION);
  }

  /** When the crash injected into the pod's ReplicaSet began, if one was. */
  private Instant crashingSince(Pod pod) {
    return ControllerRefs.controllerOf(pod, "ReplicaSet")
        .map(ref -> replicaSets.getIndexer().getByKey(ControllerRefs.keyOf(pod, ref)))
        .flatMap(InjectedCrash::since)
        .orElse(null);
  }

  /** Registers the nodes, so {@code kubectl get nodes} shows where pods run, and starts workers. */
  void start() {
    NODE_NAMES.forEach(this::register);
    queue.start();
  }

  private void register(String name) {
    if (client.nodes().withName(name).get() == null) {
      try {
        // As a kubelet does: create the Node, then report its status through the subresource.
        Node node = node(name);
        Node created = client.nodes().resource(node).create();
        created.setStatus(node.getStatus());
        client.nodes().resource(created).updateStatus();
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
      }
    }
  }

  @Override
  public void close() {
    queue.close();
  }

  private void sync(String key) {
    Pod pod = pods.getIndexer().getByKey(key);
    if (pod == null) {
      runtimes.remove(key);
      return;
    }
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      terminate(key, pod);
      return;
    }
    String nodeName = pod.getSpec().getNodeName();
    if (nodeName == null || nodeName.isEmpty()) {
      if (pod.getSpec().getContainers().stream()
          .anyMatch(c -> ImageBehaviour.of(c.getImage()) == ImageBehaviour.UNSCHEDULABLE)) {
        reportUnschedulable(pod);
        return;
      }
      bind(pod);
      return; // the binding comes back as an update, which starts the pod
    }
    if (!NODE_NAMES.contains(nodeName)) {
      return;
    }
    Instant crashingSince = crashingSince(pod);
    PodRuntime runtime =
        runtimes.compute(key, (k, known) ->
            (known != null && known.uid().equals(pod.getMetadata().getUid()) ? known : runtimeOf(pod))
                .crashingFrom(crashingSince));
    Instant now = Instant.now();
    SimulatedPodStatus.Result result =
        SimulatedPodStatus.of(pod, runtime.boundAt(), runtime.podIP(), timing, now, runtime.crashingSince());
    if (!SemanticEquality.same(result.status(), pod.getStatus())) {
      Pod copy = client.getKubernetesSerialization().clone(pod);
      copy.setStatus(result.status());
      client.pods().resource(copy).updateStatus();
      recordContainerEvents(pod, result.status());
    }
    if (result.nextChange() != null) {
      queue.addAfter(key, Duration.between(now, result.nextChange()));
    }
  }

  /**
   * A pod marked for deletion: its containers are told to stop (not ready from now on), and once
   * they have stopped (at the latest when the grace period ends) the pod reports its terminal
   * status and is deleted with no grace, as the kubelet's status manager does.
   */
  private void terminate(String key, Pod pod) {
    String nodeName = pod.getSpec().getNodeName();
    if (!NODE_NAMES.contains(nodeName)) {
      return; // never ran here: the API server removed it at once, or finalizers hold it
    }
    Instant now = Instant.now();
    Instant stoppedAt = PodShutdown.stoppedAt(pod, timing);
    boolean stopped = !now.isBefore(stoppedAt);
    PodStatus status = stopped ? PodShutdown.stopped(pod, timing) : PodShutdown.stopping(pod, now);
    try {
      if (!SemanticEquality.same(status, pod.getStatus())) {
        Pod copy = client.getKubernetesSerialization().clone(pod);
        copy.setStatus(status);
        client.pods().resource(copy).updateStatus();
      }
      if (killing.add(pod.getMetadata().getUid())) {
        pod.getSpec().getContainers().forEach(c -> events.record(pod, SOURCE, EventRecorder.NORMAL, "Killing",
            "Stopping container " + c.getName()));
      }
      if (stopped) {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
            .withGracePeriod(0).delete();
      } else {
        queue.addAfter(key, Duration.between(now, stoppedAt));
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
    }
  }

  private void recordContainerEvents(Pod pod, PodStatus next) {
    List<ContainerStatus> before = pod.getStatus() == null ? List.of() : pod.getStatus().getContainerStatuses();
    for (ContainerStatus after : next.getContainerStatuses()) {
      ContainerStatus previous = before.stream().filter(c -> after.getName().equals(c.getName())).findFirst().orElse(null);
      for (ContainerEvents.ContainerEvent e : ContainerEvents.between(pod, previous, after)) {
        events.record(pod, SOURCE, e.type(), e.reason(), e.message());
      }
    }
  }

  /** Picks up a pod bound now, or one this kubelet ran before it restarted (from its status). */
  private PodRuntime runtimeOf(Pod pod) {
    Instant startTime = pod.getStatus() == null ? null : Timestamps.parse(pod.getStatus().getStartTime());
    String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    return new PodRuntime(
        pod.getMetadata().getUid(),
        startTime == null ? Instant.now() : startTime,
        ip == null || ip.isEmpty() ? nextAddress() : ip,
        null);
  }

  /**
   * What the scheduler reports when no node fits (an {@code unschedulable} image stands for
   * requests larger than the node): the pod stays Pending with PodScheduled False, reason
   * Unschedulable, and a FailedScheduling event; written once, as the scheduler does until
   * something changes.
   */
  private void reportUnschedulable(Pod pod) {
    boolean reported = pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus()
        .getConditions().stream().anyMatch(c -> "PodScheduled".equals(c.getType()) && "Unschedulable".equals(c.getReason()));
    if (reported) {
      return;
    }
    int n = NODE_NAMES.size();
    String message = "0/" + n + " nodes are available: " + n + " Insufficient cpu. preemption: 0/" + n
        + " nodes are available: " + n + " No preemption victims found for incoming pod.";
    Pod copy = client.getKubernetesSerialization().clone(pod);
    copy.setStatus(new PodStatusBuilder().withPhase("Pending").addNewCondition().withType("PodScheduled")
        .withStatus("False").withReason("Unschedulable").withMessage(message)
        .withLastTransitionTime(Timestamps.format(Instant.now())).endCondition().build());
    client.pods().resource(copy).updateStatus();
    events.record(pod, SCHEDULER, EventRecorder.WARNING, "FailedScheduling", message);
  }

  /**
   * The scheduler's job, done here since every node fits: the node a required node affinity on
   * {@code metadata.name} names (how the DaemonSet controller pins its pods), else the first node.
   */
  private void bind(Pod pod) {
    String node = pinnedNode(pod).orElse(NODE_NAME);
    client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON), GuardedJsonPatch.against(pod).set("/spec/nodeName", node).toJson());
  }

  /** The one node a pod's required node affinity allows by {@code metadata.name}, if it names one. */
  static java.util.Optional<String> pinnedNode(Pod pod) {
    var affinity = pod.getSpec().getAffinity();
    if (affinity == null || affinity.getNodeAffinity() == null
        || affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
      return java.util.Optional.empty();
    }
    return affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms()
        .stream()
        .flatMap(t -> t.getMatchFields() == null ? java.util.stream.Stream.empty() : t.getMatchFields().stream())
        .filter(r -> HOSTNAME_FIELD.equals(r.getKey()) && "In".equals(r.getOperator()) && r.getValues() != null
            && r.getValues().size() == 1)
        .map(r -> r.getValues().get(0))
        .findFirst();
  }

  /** A fake pod address in 10.244.0.0/16, the usual pod network of a single-node cluster. */
  private String nextAddress() {
    int n = addresses.getAndIncrement();
    return "10.244." + ((n / 254) % 256) + "." + (n % 254 + 1);
  }

  private static Node node(String name) {
    String now = Timestamps.format(Instant.now());
    Map<String, Quantity> capacity =
        Map.of("cpu", new Quantity("8"), "memory", new Quantity("32Gi"), "pods", new Quantity("5000"));
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels("kubernetes.io/hostname", name)
        .addToLabels("kubernetes.io/os", "linux")
        .endMetadata()
        .withNewStatus()
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .withReason("KubeletReady")
        .withMessage("kubelet is posting ready status")
        .withLastHeartbeatTime(now)
        .withLastTransitionTime(now)
        .endCondition()
        .addNewAddress()
        .withType("InternalIP")
        .withAddress(SimulatedPodStatus.HOST_IP)
        .endAddress()
        .withCapacity(capacity)
        .withAllocatable(capacity)
        .withNewNodeInfo()
        .withKubeletVersion("v1.32.0-sandbox")
        .withOperatingSystem("linux")
        .withArchitecture("amd64")
        .withContainerRuntimeVersion("sandbox://simulated")
        .endNodeInfo()
        .endStatus()
        .build();
  }
}
