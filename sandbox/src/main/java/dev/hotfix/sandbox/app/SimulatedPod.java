package dev.hotfix.sandbox.app;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * What the simulated app knows about one ready pod: the labels of its series and how it answers.
 * When any of it changes (a pod re-created under the same name, an image changed in place) the
 * pod's counters start again from zero, as a restarted process's would.
 *
 * @param namespace the pod's namespace
 * @param name the pod's name
 * @param uid the pod's uid, which tells a re-created pod from the old one
 * @param deployment the {@link OwningDeployment} name
 * @param podTemplateHash the pod's {@code pod-template-hash} label, empty without one
 * @param revisionHash the pod's {@code controller-revision-hash} label (a StatefulSet's or
 *     DaemonSet's pod), empty without one
 * @param profile how the pod's app answers
 */
record SimulatedPod(String namespace, String name, String uid, String deployment, String podTemplateHash,
    String revisionHash, TrafficProfile profile) {

  /** The simulated view of a pod object. */
  static SimulatedPod of(Pod pod) {
    return new SimulatedPod(
        pod.getMetadata().getNamespace(),
        pod.getMetadata().getName(),
        pod.getMetadata().getUid(),
        OwningDeployment.nameOf(pod),
        label(pod, "pod-template-hash"),
        label(pod, "controller-revision-hash"),
        TrafficProfile.of(pod));
  }

  private static String label(Pod pod, String name) {
    return pod.getMetadata().getLabels() == null ? "" : pod.getMetadata().getLabels().getOrDefault(name, "");
  }

  /** The key that orders pods in the exposition and identifies them across updates. */
  static String keyOf(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  /**
   * The series labels shared by every metric of this pod, already in exposition syntax; with
   * {@code pod_template_hash} (and {@code controller_revision_hash} on a pod that has that label),
   * as Prometheus's Kubernetes service discovery maps pod labels ({@code labelmap:
   * __meta_kubernetes_pod_label_(.+)}), so a check can tell a canary's pods from the others.
   */
  String seriesLabels() {
    StringBuilder out = new StringBuilder();
    ExpositionFormat.label(out, "namespace", namespace);
    out.append(',');
    ExpositionFormat.label(out, "deployment", deployment);
    out.append(',');
    ExpositionFormat.label(out, "pod", name);
    out.append(',');
    ExpositionFormat.label(out, "pod_template_hash", podTemplateHash);
    if (!revisionHash.isEmpty()) {
      out.append(',');
      ExpositionFormat.label(out, "controller_revision_hash", revisionHash);
    }
    return out.toString();
  }
}
