package dev.hotfix.history;

import dev.hotfix.json.KubernetesJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.TargetRef;
import dev.hotfix.policy.PriorHotfixes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Each target's {@link TargetHistory}, kept in a ConfigMap of the target's namespace,
 * {@code hotfix-history-<target>} (key {@value #KEY}). A ConfigMap rather than an annotation on
 * the target: the Deployment belongs to its owner or a GitOps controller, which would see the
 * annotation as drift and might remove it; a ConfigMap is the operator's alone, outlives every
 * Hotfix (no ownerReference) and is read by name only (get, never list, as the report is).
 * <p>It is written only when absent or already the operator's history of that target (annotation
 * {@value #TARGET_ANNOTATION}: {@code <kind>/<name>}); anyone else's ConfigMap of that name is
 * never touched, and the history is then unavailable, with a message that says what to do.
 */
public final class HistoryStore {
  /** The ConfigMap's key holding the history as JSON. */
  public static final String KEY = "history.json";
  /** On the ConfigMap: the target it keeps the history of, {@code <kind>/<name>}; what makes it the operator's. */
  public static final String TARGET_ANNOTATION = "hotfix.dev/history-of";
  private static final String PREFIX = "hotfix-history-";
  /** Kubernetes' limit on a ConfigMap's name. */
  private static final int NAME_LIMIT = 253;
  /** Concurrent writers: Hotfixes of one target ending together; each retry re-reads. */
  private static final int CONFLICT_RETRIES = 5;

  private final KubernetesClient client;

  public HistoryStore(KubernetesClient client) {
    this.client = client;
  }

  /** What reading a target's history found. */
  public sealed interface Read permits Kept, Unavailable {
  }

  /** The history as kept (new and empty when none was kept yet). */
  public record Kept(TargetHistory history, Optional<ConfigMap> stored) implements Read {
  }

  /** The history cannot be read or written: {@code why} says what to fix. */
  public record Unavailable(String why) implements Read {
  }

  /**
   * The history ConfigMap's name: {@code hotfix-history-<name>} for a Deployment,
   * {@code hotfix-history-<kind>-<name>} for other kinds; a name too long for that is cut and
   * made unique by a hash.
   */
  public static String configMapName(String kind, String name) {
    String full = PREFIX + ("Deployment".equals(kind) ? "" : kind.toLowerCase(Locale.ROOT) + "-") + name;
    if (full.length() <= NAME_LIMIT) {
      return full;
    }
    String hash = sha256(kind + "/" + name).substring(0, 10);
    String cut = full.substring(0, NAME_LIMIT - hash.length() - 1).replaceAll("[-.]+$", "");
    return cut + "-" + hash;
  }

  /** The kind of a Hotfix's target (Deployment when left out). */
  public static String kindOf(TargetRef target) {
    return target == null || target.kind == null ? "Deployment" : target.kind.name();
  }

  /** The history of {@code kind/name} in {@code namespace}. */
  public Read read(String namespace, String kind, String name) {
    String configMap = configMapName(kind, name);
    ConfigMap cm = client.configMaps().inNamespace(namespace).withName(configMap).get();
    if (cm == null) {
      return new Kept(new TargetHistory(kind, name), Optional.empty());
    }
    String owner = kind + "/" + name;
    Map<String, String> annotations = cm.getMetadata().getAnnotations();
    if (annotations == null || !owner.equals(annotations.get(TARGET_ANNOTATION))) {
      return new Unavailable("ConfigMap " + configMap + " in namespace " + namespace + " is not the operator's history "
          + "of " + kind + " " + name + " (it lacks the annotation " + TARGET_ANNOTATION + ": " + owner + "), so it is "
          + "left alone; rename or delete it so that the operator can keep the history there");
    }
    String json = cm.getData() == null ? null : cm.getData().get(KEY);
    if (json == null) {
      return new Kept(new TargetHistory(kind, name), Optional.of(cm));
    }
    try {
      return new Kept(KubernetesJson.MAPPER.readValue(json, TargetHistory.class), Optional.of(cm));
    } catch (JsonProcessingException e) {
      return new Unavailable("ConfigMap " + configMap + " in namespace " + namespace + " holds no readable history "
          + "under " + KEY + " (" + e.getOriginalMessage() + "); delete it to start the history afresh");
    }
  }

  /**
   * The hot fixes that started on {@code target}, as its history keeps them, for the recurrence
   * rule; when the history is unavailable, none, and why.
   */
  public PriorHotfixes priorHotfixes(String namespace, TargetRef target) {
    Read read = read(namespace, kindOf(target), target.name);
    if (read instanceof Kept kept) {
      return new PriorHotfixes(kept.history().started(), Optional.empty());
    }
    return new PriorHotfixes(List.of(), Optional.of(((Unavailable) read).why()));
  }

  /**
   * Records the ended {@code hotfix} in its target's history, once.
   *
   * @return the history as stored, or why it could not be
   */
  public Read record(Hotfix hotfix) {
    String namespace = hotfix.getMetadata().getNamespace();
    String kind = kindOf(hotfix.getSpec().target);
    String name = hotfix.getSpec().target.name;
    for (int attempt = 1; ; attempt++) {
      Read read = read(namespace, kind, name);
      if (!(read instanceof Kept kept) || !kept.history().record(hotfix)) {
        return read;
      }
      try {
        return new Kept(kept.history(), Optional.of(store(namespace, kind, name, kept)));
      } catch (KubernetesClientException e) {
        // 409: someone wrote since we read (another Hotfix ended, or a rival created it); read again
        if (e.getCode() != 409 || attempt >= CONFLICT_RETRIES) {
          throw e;
        }
      }
    }
  }

  private ConfigMap store(String namespace, String kind, String name, Kept kept) {
    ConfigMap cm = new ConfigMapBuilder()
        .withNewMetadata().withName(configMapName(kind, name)).withNamespace(namespace)
        .withLabels(Map.of("app.kubernetes.io/managed-by", "hotfix-operator"))
        .withAnnotations(Map.of(TARGET_ANNOTATION, kind + "/" + name))
        .endMetadata()
        .withData(Map.of(KEY, Serialization.asJson(kept.history())))
        .build();
    if (kept.stored().isEmpty()) {
      return client.resource(cm).create();
    }
    cm.getMetadata().setResourceVersion(kept.stored().get().getMetadata().getResourceVersion());
    return client.resource(cm).update();
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
