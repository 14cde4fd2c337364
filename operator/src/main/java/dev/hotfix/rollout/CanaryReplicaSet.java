package dev.hotfix.rollout;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The canary of a Hotfix: a ReplicaSet beside the Deployment's own, with the Deployment's pod
 * template and the new images. Its pods carry the template's labels, so the Services that select
 * the Deployment's pods send them their share of requests; they differ in
 * {@code pod-template-hash} (and {@code hotfix.dev/canary}), so none of the Deployment's
 * ReplicaSets counts them. The Hotfix is its controller: the Deployment controller leaves a
 * ReplicaSet with another controller alone, and deleting the Hotfix removes it. Named
 * {@code <deployment>-<hash>} as the Deployment's own are, so tools that derive a pod's
 * Deployment from its ReplicaSet's name (dashboards, Prometheus relabelling) file the canary
 * pods under the Deployment.
 */
public final class CanaryReplicaSet {
  /** The label every canary pod carries (value "true"), for {@code kubectl get pods -l hotfix.dev/canary}. */
  public static final String LABEL = "hotfix.dev/canary";
  /** The alphabet upstream's pod-template-hash uses (no vowels: no words). */
  private static final String SAFE = "bcdfghjklmnpqrstvwxz2456789";

  private CanaryReplicaSet() {
  }

  /**
   * The canary ReplicaSet for one attempt of a Hotfix.
   *
   * @param deployment the target as it runs now (its template is the baseline)
   * @param images container name to the new image
   * @param pods how many canary pods
   * @param owner the Hotfix, its controller
   * @param attempt the attempt token, so that each attempt's canary has a hash of its own
   */
  public static ReplicaSet of(Deployment deployment, Map<String, String> images, int pods, HasMetadata owner,
      String attempt) {
    PodTemplateSpec template = PodTemplates.withoutHash(deployment.getSpec().getTemplate());
    setImages(template.getSpec().getContainers(), images);
    setImages(template.getSpec().getInitContainers(), images);
    Map<String, String> labels = new LinkedHashMap<>(template.getMetadata().getLabels());
    labels.put(LABEL, "true");
    String hash = hash(Serialization.asJson(template) + "\n" + attempt);
    labels.put(PodTemplates.HASH_LABEL, hash);
    template.getMetadata().setLabels(labels);
    LabelSelector target = deployment.getSpec().getSelector();
    Map<String, String> matchLabels = new LinkedHashMap<>(target.getMatchLabels() == null ? Map.of()
        : target.getMatchLabels());
    matchLabels.put(PodTemplates.HASH_LABEL, hash);
    LabelSelector selector = new LabelSelectorBuilder().withMatchLabels(matchLabels)
        .withMatchExpressions(target.getMatchExpressions()).build();
    return new ReplicaSetBuilder()
        .withNewMetadata()
          .withName(deployment.getMetadata().getName() + "-" + hash)
          .withNamespace(deployment.getMetadata().getNamespace())
          .withLabels(labels)
          .withOwnerReferences(Owners.controlledBy(owner))
        .endMetadata()
        .withNewSpec()
          .withReplicas(pods)
          .withMinReadySeconds(deployment.getSpec().getMinReadySeconds())
          .withSelector(selector)
          .withTemplate(template)
        .endSpec()
        .build();
  }

  /** Whether a ReplicaSet is a Hotfix's canary (its controller is a Hotfix). */
  public static boolean isCanary(ReplicaSet rs) {
    return rs.getMetadata().getOwnerReferences() != null && rs.getMetadata().getOwnerReferences().stream()
        .anyMatch(r -> Boolean.TRUE.equals(r.getController()) && "Hotfix".equals(r.getKind()));
  }

  private static void setImages(List<Container> containers, Map<String, String> images) {
    for (Container c : containers == null ? new ArrayList<Container>() : containers) {
      if (images.containsKey(c.getName())) {
        c.setImage(images.get(c.getName()));
      }
    }
  }

  /** A 32-bit FNV-1a of the text in upstream's hash alphabet: a valid label value and name suffix. */
  static String hash(String text) {
    int h = 0x811c9dc5;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x01000193;
    }
    long v = Integer.toUnsignedLong(h);
    StringBuilder out = new StringBuilder();
    do {
      out.append(SAFE.charAt((int) (v % SAFE.length())));
      v /= SAFE.length();
    } while (v > 0);
    return out.toString();
  }
}
