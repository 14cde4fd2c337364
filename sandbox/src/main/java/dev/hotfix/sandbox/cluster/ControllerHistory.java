package dev.hotfix.sandbox.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotfix.json.KubernetesJson;
import dev.hotfix.rollout.PodTemplates;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The ControllerRevision history of a StatefulSet or DaemonSet, as upstream's
 * {@code pkg/controller/history} keeps it: each distinct pod template is one revision named
 * {@code <owner>-<hash>}, whose data is the patch that restores it
 * ({@code {"spec":{"template":{..., "$patch":"replace"}}}}, what {@code kubectl rollout undo}
 * sends), with a {@code revision} number that grows; going back to an earlier template gives its
 * old revision the next number instead of creating a twin.
 */
final class ControllerHistory {

  /** The label on revisions (the hash) and on pods (the revision name or hash). */
  static final String HASH_LABEL = "controller-revision-hash";

  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  /** The current and update revisions of one sync, and the collision count used to name them. */
  record Revisions(ControllerRevision current, ControllerRevision update, int collisionCount) {}

  private final KubernetesClient client;

  ControllerHistory(KubernetesClient client) {
    this.client = client;
  }

  /** The restoring patch of a template: what a revision's data holds. */
  static ObjectNode patchOf(PodTemplateSpec template) {
    ObjectNode data = KubernetesJson.MAPPER.createObjectNode();
    ObjectNode tree = KubernetesJson.MAPPER.valueToTree(template);
    tree.put("$patch", "replace");
    data.putObject("spec").set("template", tree);
    return data;
  }

  /** The template a revision restores. */
  static PodTemplateSpec templateOf(ControllerRevision revision) {
    JsonNode data = KubernetesJson.MAPPER.valueToTree(revision.getData());
    ObjectNode template = ((ObjectNode) data.path("spec").path("template")).deepCopy();
    template.remove("$patch");
    return KubernetesJson.SERIALIZATION.convertValue(template, PodTemplateSpec.class);
  }

  /**
   * Upstream's HashControllerRevision: FNV-1 (32 bit) of the data, then of the collision count's
   * digits, its decimal value spelled in the "safe" alphabet.
   */
  static String hash(PodTemplateSpec template, int collisionCount) {
    int hash = 0x811c9dc5;
    byte[] data = PodTemplates.canonicalJson(template).getBytes(StandardCharsets.UTF_8);
    byte[] probe = Integer.toString(collisionCount).getBytes(StandardCharsets.US_ASCII);
    for (byte[] bytes : List.of(data, probe)) {
      for (byte b : bytes) {
        hash *= 0x01000193;
        hash ^= b & 0xff;
      }
    }
    StringBuilder out = new StringBuilder();
    for (char c : Long.toString(Integer.toUnsignedLong(hash)).toCharArray()) {
      out.append(ALPHABET.charAt(c % ALPHABET.length()));
    }
    return out.toString();
  }

  /** Revisions restoring the same template (labels aside from the hash), as upstream's EqualRevision. */
  static boolean sameTemplate(ControllerRevision revision, PodTemplateSpec template) {
    return PodTemplates.canonicalJson(templateOf(revision)).equals(PodTemplates.canonicalJson(template));
  }

  static long number(ControllerRevision revision) {
    return revision.getRevision() == null ? 0 : revision.getRevision();
  }

  /**
   * Upstream's getStatefulSetRevisions / constructHistory: finds or makes the revision of the
   * owner's template (re-numbering an older equal one to be the newest), and picks the current
   * revision by name, falling back to the update revision.
   *
   * @param owned the owner's revisions, any order
   * @param currentName the name the owner's status gives its current revision, or null
   * @param collisionCount the owner's status.collisionCount
   */
  Revisions sync(HasMetadata owner, PodTemplateSpec template, List<ControllerRevision> owned, String currentName,
      int collisionCount) {
    List<ControllerRevision> sorted = new ArrayList<>(owned);
    sorted.sort(Comparator.comparingLong(ControllerHistory::number));
    long next = sorted.isEmpty() ? 1 : number(sorted.get(sorted.size() - 1)) + 1;
    List<ControllerRevision> equal = sorted.stream().filter(r -> sameTemplate(r, template)).toList();
    ControllerRevision update;
    if (!equal.isEmpty() && equal.get(equal.size() - 1) == sorted.get(sorted.size() - 1)) {
      update = equal.get(equal.size() - 1);
    } else if (!equal.isEmpty()) {
      ControllerRevision renumbered = KubernetesJson.SERIALIZATION.clone(equal.get(equal.size() - 1));
      renumbered.setRevision(next);
      update = client.resource(renumbered).update();
    } else {
      Created created = create(owner, template, next, collisionCount);
      update = created.revision();
      collisionCount = created.collisionCount();
    }
    ControllerRevision current = update;
    for (ControllerRevision r : sorted) {
      if (r.getMetadata().getName().equals(currentName)) {
        current = r.getMetadata().getName().equals(update.getMetadata().getName()) ? update : r;
      }
    }
    return new Revisions(current, update, collisionCount);
  }

  private record Created(ControllerRevision revision, int collisionCount) {}

  /** Creates the revision; a name taken by another template bumps the collision count, as upstream. */
  private Created create(HasMetadata owner, PodTemplateSpec template, long number, int collisionCount) {
    while (true) {
      String hash = hash(template, collisionCount);
      Map<String, String> labels = new LinkedHashMap<>();
      if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
        labels.putAll(template.getMetadata().getLabels());
      }
      labels.put(HASH_LABEL, hash);
      ControllerRevision revision = new ControllerRevisionBuilder()
          .withNewMetadata()
          .withName(owner.getMetadata().getName() + "-" + hash)
          .withNamespace(owner.getMetadata().getNamespace())
          .withLabels(labels)
          .withAnnotations(owner.getMetadata().getAnnotations())
          .withOwnerReferences(ControllerRefs.controlledBy(owner))
          .endMetadata()
          .withData(patchOf(template))
          .withRevision(number)
          .build();
      try {
        return new Created(client.resource(revision).create(), collisionCount);
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
        ControllerRevision existing = client.resources(ControllerRevision.class)
            .inNamespace(owner.getMetadata().getNamespace()).withName(revision.getMetadata().getName()).get();
        if (existing != null && sameTemplate(existing, template)
            && ControllerRefs.controllerOf(existing).map(r -> r.getUid().equals(owner.getMetadata().getUid()))
                .orElse(false)) {
          // our own revision, created by an earlier sync the cache has not seen yet
          ControllerRevision renumbered = KubernetesJson.SERIALIZATION.clone(existing);
          renumbered.setRevision(Math.max(number, number(existing)));
          return new Created(client.resource(renumbered).update(), collisionCount);
        }
        collisionCount++;
      }
    }
  }

  /**
   * Upstream's truncateHistory: keeps every live revision (named by {@code live}) and at most
   * {@code limit} others, deleting the oldest first.
   */
  void truncate(List<ControllerRevision> owned, Set<String> live, int limit) {
    List<ControllerRevision> old = owned.stream()
        .filter(r -> !live.contains(r.getMetadata().getName()))
        .sorted(Comparator.comparingLong(ControllerHistory::number))
        .toList();
    for (ControllerRevision r : old.subList(0, Math.max(0, old.size() - limit))) {
      try {
        client.resource(r).withGracePeriod(0).delete();
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
          throw e;
        }
      }
    }
  }

  /** The revision with this name among {@code owned}, if any. */
  static Optional<ControllerRevision> named(List<ControllerRevision> owned, String name) {
    return owned.stream().filter(r -> Objects.equals(r.getMetadata().getName(), name)).findFirst();
  }
}
