package dev.hotfix.rollout;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The ConfigMaps and Secrets a pod template cannot start without: volumes (plain and projected),
 * {@code env[].valueFrom} and {@code envFrom}, each unless marked {@code optional: true}. A pod whose
 * template names a missing one never starts (the kubelet waits for it), so a rollback to such a
 * template would restore an outage.
 *
 * @param configMaps the ConfigMaps' names, sorted
 * @param secrets the Secrets' names, sorted
 */
public record TemplateReferences(Set<String> configMaps, Set<String> secrets) {

  /** What {@code template} requires. */
  public static TemplateReferences of(PodTemplateSpec template) {
    Set<String> configMaps = new TreeSet<>();
    Set<String> secrets = new TreeSet<>();
    PodSpec pod = template.getSpec();
    if (pod == null) {
      return new TemplateReferences(configMaps, secrets);
    }
    for (Volume volume : pod.getVolumes() == null ? List.<Volume>of() : pod.getVolumes()) {
      if (volume.getConfigMap() != null && !isTrue(volume.getConfigMap().getOptional())) {
        add(configMaps, volume.getConfigMap().getName());
      }
      if (volume.getSecret() != null && !isTrue(volume.getSecret().getOptional())) {
        add(secrets, volume.getSecret().getSecretName());
      }
      List<VolumeProjection> sources = volume.getProjected() == null || volume.getProjected().getSources() == null
          ? List.of() : volume.getProjected().getSources();
      for (VolumeProjection source : sources) {
        if (source.getConfigMap() != null && !isTrue(source.getConfigMap().getOptional())) {
          add(configMaps, source.getConfigMap().getName());
        }
        if (source.getSecret() != null && !isTrue(source.getSecret().getOptional())) {
          add(secrets, source.getSecret().getName());
        }
      }
    }
    for (Container container : containers(pod)) {
      for (EnvVar env : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
        var from = env.getValueFrom();
        if (from != null && from.getConfigMapKeyRef() != null && !isTrue(from.getConfigMapKeyRef().getOptional())) {
          add(configMaps, from.getConfigMapKeyRef().getName());
        }
        if (from != null && from.getSecretKeyRef() != null && !isTrue(from.getSecretKeyRef().getOptional())) {
          add(secrets, from.getSecretKeyRef().getName());
        }
      }
      for (EnvFromSource env : container.getEnvFrom() == null ? List.<EnvFromSource>of() : container.getEnvFrom()) {
        if (env.getConfigMapRef() != null && !isTrue(env.getConfigMapRef().getOptional())) {
          add(configMaps, env.getConfigMapRef().getName());
        }
        if (env.getSecretRef() != null && !isTrue(env.getSecretRef().getOptional())) {
          add(secrets, env.getSecretRef().getName());
        }
      }
    }
    return new TemplateReferences(configMaps, secrets);
  }

  private static List<Container> containers(PodSpec pod) {
    List<Container> all = new ArrayList<>();
    Stream.of(pod.getInitContainers(), pod.getContainers()).filter(l -> l != null).forEach(all::addAll);
    return all;
  }

  private static void add(Set<String> names, String name) {
    if (name != null && !name.isEmpty()) {
      names.add(name);
    }
  }

  private static boolean isTrue(Boolean b) {
    return Boolean.TRUE.equals(b);
  }
}
