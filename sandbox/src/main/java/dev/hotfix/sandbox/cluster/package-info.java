/**
 * The sandbox's simulated cluster: what kube-controller-manager and a kubelet would do behind the
 * API server, reduced to what an operator and {@code kubectl rollout status/history/undo} can
 * observe. {@link dev.hotfix.sandbox.cluster.SimulatedCluster} is the entry point.
 *
 * <h2>How it works</h2>
 *
 * <ul>
 *   <li>One shared informer per kind (Deployments, ReplicaSets, StatefulSets, DaemonSets,
 *       ControllerRevisions, Nodes, Pods; all namespaces), ReplicaSets, ControllerRevisions
 *       and Pods indexed by their controller's uid, so each sync looks only at what its object
 *       owns.
 *   <li>Each controller has a {@code WorkQueue} keyed by namespace/name: events only enqueue keys,
 *       a burst of events costs one sync, and timers (progress deadline, container start, crash
 *       back-off, minReadySeconds) are delayed adds. Nothing polls; an idle cluster does no work.
 *   <li>Writes change only what the controller owns: JSON Patch carrying the resourceVersion read
 *       for main resources, the status subresource for status. A 409 fails the sync, which is
 *       retried after the informer has caught up (as upstream controllers do).
 * </ul>
 *
 * <h2>Parts</h2>
 *
 * <ul>
 *   <li>{@code DeploymentController} with {@code NewReplicaSets}, {@code RollingUpdate},
 *       {@code ProportionalScaling}, {@code DeploymentStatuses}: upstream's deployment controller
 *       (sync.go, rolling.go, recreate.go, progress.go).
 *   <li>{@code ReplicaSetController}: pods per ReplicaSet, expectations, deletion ranking.
 *   <li>{@code StatefulSetController} and {@code DaemonSetController}, sharing
 *       {@code ControllerHistory}: upstream's statefulset and daemon controllers and
 *       pkg/controller/history (ordered pods, partitions, one pod per node, ControllerRevisions).
 *   <li>{@code Kubelet} with {@code ContainerTimeline} and {@code SimulatedPodStatus}: registers
 *       three nodes, binds pods (a DaemonSet's to the node its affinity names, others to
 *       {@code sandbox-node}) and reports the status their image tag calls for
 *       ({@link dev.hotfix.sandbox.ImageBehaviour}).
 * </ul>
 */
package dev.hotfix.sandbox.cluster;
