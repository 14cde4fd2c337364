package dev.hotfix.operator;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Zero downtime judged at the pod level, as a user's traffic sees it: while an operator's rollout
 * or rollback holds a Deployment (from its apply patch to its release patch or the Hotfix's end,
 * or until someone else writes the Deployment or one of its ReplicaSets), the ready pods of any revision must never be fewer than desired minus
 * what the Hotfix's own strategy allows to be unavailable; on a baseline that was already broken
 * when the operator took hold (fewer pods ready than that), the bar is what was ready then: a hot
 * fix may not make an outage worse. Pods are recorded from the watch
 * events' objects, one event at a time, so no short state is missed and no snapshot is torn.
 * Every violation is kept, with the pods that were ready, for the test to fail on.
 */
final class PodAvailability {
  /** The pods of each namespace, as the latest event showed them. */
  private final Map<String, Map<String, Pod>> pods = new HashMap<>();
  /** The latest version of each Deployment, by namespace/name. */
  private final Map<String, Deployment> deployments = new HashMap<>();
  /** Deployments held by an operator, by namespace/name. */
  private final Map<String, Hold> held = new HashMap<>();
  /** Deployments whose availability was judged at least once while held. */
  private final Set<String> judged = new HashSet<>();
  private final List<String> violations = new ArrayList<>();
  private final Function<String, IntOrString> hotfixMaxUnavailable;

  /** @param hotfixMaxUnavailable the maxUnavailable of the Hotfix {@code namespace/name}, null when unknown */
  PodAvailability(Function<String, IntOrString> hotfixMaxUnavailable) {
    this.hotfixMaxUnavailable = hotfixMaxUnavailable;
  }

  synchronized void podChanged(Pod pod) {
    pods.computeIfAbsent(pod.getMetadata().getNamespace(), k -> new HashMap<>()).put(pod.getMetadata().getName(), pod);
    judgeAll(pod.getMetadata().getNamespace(), "pod " + pod.getMetadata().getName() + " changed");
  }

  synchronized void podDeleted(Pod pod) {
    pods.getOrDefault(pod.getMetadata().getNamespace(), Map.of()).remove(pod.getMetadata().getName());
    judgeAll(pod.getMetadata().getNamespace(), "pod " + pod.getMetadata().getName() + " deleted");
  }

  synchronized void deploymentChanged(Deployment d) {
    deployments.put(key(d.getMetadata().getNamespace(), d.getMetadata().getName()), d);
  }

  /** The operator's apply patch of Hotfix {@code hotfix} landed on the Deployment: judged from now on. */
  synchronized void held(String namespace, String deployment, String hotfix) {
    IntOrString allowed = hotfixMaxUnavailable.apply(key(namespace, hotfix));
    String key = key(namespace, deployment);
    Deployment d = deployments.get(key);
    Integer desired = d == null ? null : d.getSpec().getReplicas();
    held.put(key, new Hold(hotfix, allowed == null ? new IntOrString(0) : allowed,
        desired == null ? Integer.MAX_VALUE : desired, d == null ? Integer.MAX_VALUE : ready(d).size()));
    judge(key, "the operator patched it");
  }

  /** The operator let go of the Deployment, or someone else wrote it: the owner's strategy rules again. */
  synchronized void released(String namespace, String deployment) {
    held.remove(key(namespace, deployment));
  }

  /** A Hotfix ended: it rolls nothing out or back any more, whatever it left on its Deployment. */
  synchronized void ended(String namespace, String hotfix) {
    held.entrySet().removeIf(e -> e.getKey().startsWith(namespace + "/") && e.getValue().hotfix().equals(hotfix));
  }

  /** Someone else wrote ReplicaSet {@code replicaSet}: the Deployment it belongs to is theirs to break. */
  synchronized void replicaSetWritten(String namespace, String replicaSet) {
    held.keySet().removeIf(key -> replicaSet.startsWith(key.substring(namespace.length() + 1) + "-")
        && key.startsWith(namespace + "/"));
  }

  synchronized boolean wasJudged(String namespace, String deployment) {
    return judged.contains(key(namespace, deployment));
  }

  /** The violations recorded since the last call, which forgets them. */
  synchronized List<String> takeViolations() {
    List<String> taken = List.copyOf(violations);
    violations.clear();
    return taken;
  }

  synchronized List<String> violations(String namespace, String deployment) {
    String prefix = "Deployment " + key(namespace, deployment) + ":";
    return violations.stream().filter(v -> v.startsWith(prefix)).toList();
  }

  private void judgeAll(String namespace, String cause) {
    for (String key : held.keySet()) {
      if (key.startsWith(namespace + "/")) {
        judge(key, cause);
      }
    }
  }

  private void judge(String key, String cause) {
    Deployment d = deployments.get(key);
    if (d == null || d.getSpec().getReplicas() == null) {
      return;
    }
    judged.add(key);
    // scaling up mid-rollout (an HPA) raises the bar only once the new pods could be ready: not judged
    int desired = Math.min(d.getSpec().getReplicas(), held.get(key).desiredWhenHeld());
    int allowed = unavailableAllowed(held.get(key).maxUnavailable(), desired);
    int floor = Math.min(desired - allowed, held.get(key).readyWhenHeld());
    List<String> ready = ready(d);
    if (ready.size() < floor) {
      violations.add("Deployment " + key + ": " + ready.size() + " ready pods " + ready + " < " + desired
          + " desired - " + allowed + " allowed unavailable"
          + (floor < desired - allowed ? " (or the " + floor + " ready when the operator took hold)" : "")
          + ", after " + cause);
    }
  }

  /** The names of the ready pods the Deployment selects, as the latest events showed them. */
  private List<String> ready(Deployment d) {
    Map<String, String> selector = d.getSpec().getSelector().getMatchLabels();
    return pods.getOrDefault(d.getMetadata().getNamespace(), Map.of()).values().stream()
        .filter(p -> p.getMetadata().getLabels() != null
            && p.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
        .filter(PodAvailability::isReady)
        .map(p -> p.getMetadata().getName())
        .sorted()
        .toList();
  }

  /** Ready and not terminating: what a Service would still send traffic to. */
  private static boolean isReady(Pod p) {
    return p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null
        && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType())
            && "True".equals(c.getStatus()));
  }

  /** maxUnavailable of {@code desired}, a percentage rounded down as the Deployment controller does. */
  static int unavailableAllowed(IntOrString maxUnavailable, int desired) {
    if (maxUnavailable.getIntVal() != null) {
      return maxUnavailable.getIntVal();
    }
    String percent = maxUnavailable.getStrVal().replace("%", "").trim();
    return desired * Integer.parseInt(percent) / 100;
  }

  /** Which Hotfix holds the Deployment, what it allows, and how many pods were desired and ready then. */
  private record Hold(String hotfix, IntOrString maxUnavailable, int desiredWhenHeld, int readyWhenHeld) {
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
