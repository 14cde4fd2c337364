package dev.hotfix.sandbox.api;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * Where {@code GET pods/{name}/log} gets a container's log: in a real cluster the API server
 * asks the pod's kubelet; here the sandbox's kubelet side supplies it.
 */
@FunctionalInterface
public interface PodLogSource {

  /**
   * The whole log of one container of {@code pod}, lines ending in a newline.
   *
   * @param container the container named by the request, or null when it named none
   * @throws ApiError 400 as upstream when no container is named in a pod of several, the named
   *     one does not exist, or it has not started
   */
  String log(Pod pod, String container);
}
