package dev.hotfix.operator;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * Deletes the pods a StatefulSet's rollback would otherwise wait on for ever. With the default
 * OrderedReady pod management, the StatefulSet controller replaces a pod only once the pods
 * before it are Running and Ready, so a pod of a bad revision that never becomes ready blocks the
 * restored template; upstream's documented remedy ("forced rollback") is to delete those pods
 * after reverting the template, and the controller recreates them from it.
 */
interface StuckPods {

  /** Deletes the pod (gracefully; already gone is fine). */
  void delete(Pod pod);
}
