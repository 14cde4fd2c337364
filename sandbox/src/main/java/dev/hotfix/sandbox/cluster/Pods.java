package dev.hotfix.sandbox.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/** Reading a pod's lifecycle the way the ReplicaSet controller does. */
final class Pods {

  private static final String SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private Pods() {}

  /** The 5 random characters a controller appends to its name for a new pod (upstream's name generator). */
  static String randomSuffix() {
    char[] chars = new char[5];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = SUFFIX_ALPHABET.charAt(java.util.concurrent.ThreadLocalRandom.current().nextInt(SUFFIX_ALPHABET.length()));
    }
    return new String(chars);
  }

  /** Not being deleted and not finished: a pod that counts towards a ReplicaSet's replicas. */
  static boolean isActive(Pod pod) {
    String phase = phase(pod);
    return pod.getMetadata().getDeletionTimestamp() == null
        && !"Succeeded".equals(phase)
        && !"Failed".equals(phase);
  }

  static String phase(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Pending" : pod.getStatus().getPhase();
  }

  /** When the pod last became ready, if it is ready. */
  static Optional<Instant> readySince(Pod pod) {
    return readyCondition(pod)
        .filter(c -> "True".equals(c.getStatus()))
        .map(c -> Timestamps.parse(c.getLastTransitionTime()));
  }

  /** Ready for at least minReadySeconds, as upstream's IsPodAvailable. */
  static boolean isAvailable(Pod pod, int minReadySeconds, Instant now) {
    if (!Readiness.isPodReady(pod)) {
      return false;
    }
    if (minReadySeconds == 0) {
      return true;
    }
    return readySince(pod).map(t -> !t.plusSeconds(minReadySeconds).isAfter(now)).orElse(false);
  }

  /**
   * With minReadySeconds, a ready pod becomes available later: how long until the first of
   * {@code pods} does, so its controller syncs again at that moment (empty: nothing to wait for).
   */
  static Optional<Duration> untilNextAvailable(Collection<Pod> pods, int minReadySeconds, Instant now) {
    if (minReadySeconds == 0) {
      return Optional.empty();
    }
    return pods.stream()
        .filter(p -> !isAvailable(p, minReadySeconds, now))
        .flatMap(p -> readySince(p).stream())
        .map(t -> Duration.between(now, t.plusSeconds(minReadySeconds)).plusMillis(100))
        .min(Duration::compareTo);
  }

  static int restartCount(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return 0;
    }
    return pod.getStatus().getContainerStatuses().stream()
        .mapToInt(c -> c.getRestartCount() == null ? 0 : c.getRestartCount())
        .max()
        .orElse(0);
  }

  private static Optional<PodCondition> readyCondition(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst();
  }
}
