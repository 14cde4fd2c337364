package dev.hotfix.sandbox.app;

import dev.hotfix.sandbox.ImageBehaviour;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/**
 * How a pod's simulated app answers, derived from its containers' images with
 * {@link ImageBehaviour}: one {@code errors} container makes the whole pod fail about half its
 * requests, one {@code slow} container makes the whole pod slow, as a broken sidecar or
 * dependency would.
 *
 * @param failsHalf about half the requests answer 5xx instead of the healthy one in a thousand
 * @param slow latency is ten times the healthy latency
 */
record TrafficProfile(boolean failsHalf, boolean slow) {

  /** The profile of a pod, from the images in its spec. */
  static TrafficProfile of(Pod pod) {
    List<Container> containers =
        pod.getSpec() == null || pod.getSpec().getContainers() == null
            ? List.of()
            : pod.getSpec().getContainers();
    boolean errors = false;
    boolean slow = false;
    for (Container container : containers) {
      ImageBehaviour behaviour = ImageBehaviour.of(container.getImage());
      errors |= behaviour == ImageBehaviour.ERRORS;
      slow |= behaviour == ImageBehaviour.SLOW;
    }
    return new TrafficProfile(errors, slow);
  }

  /** How many times slower than a healthy pod this pod answers. */
  int latencyFactor() {
    return slow ? 10 : 1;
  }
}
