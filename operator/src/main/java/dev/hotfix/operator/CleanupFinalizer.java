package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.Phase;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code hotfix.dev/cleanup} finalizer: held only while a Hotfix may change its Deployment
 * (RollingOut, Verifying, RollingBack), so a deletion in those phases waits for
 * {@code spec.rollback.onDelete} to be carried out; added before the first such write and
 * removed as soon as the Hotfix leaves them, so deleting a waiting or finished Hotfix never
 * hangs, even with no operator running. Written as JSON Patch pinned to the resourceVersion read (409 when
 * someone wrote in between).
 */
final class CleanupFinalizer {
  static final String NAME = "hotfix.dev/cleanup";

  private final KubernetesClient client;
  private final WriteSeam seam;

  CleanupFinalizer(KubernetesClient client, WriteSeam seam) {
    this.client = client;
    this.seam = seam;
  }

  /** Whether a Hotfix in {@code phase} holds its Deployment, and so the finalizer. */
  static boolean heldIn(Phase phase) {
    return phase.isActing();
  }

  /** Holds the finalizer in {@code phase} or lets it go; returns the Hotfix as stored. */
  Hotfix settle(Hotfix hotfix, Phase phase) throws WriteConflict {
    List<String> finalizers = hotfix.getMetadata().getFinalizers() == null ? List.of()
        : hotfix.getMetadata().getFinalizers();
    int index = finalizers.indexOf(NAME);
    if (heldIn(phase) && index < 0 && !hotfix.isMarkedForDeletion()) {
      List<String> added = new ArrayList<>(finalizers);
      added.add(NAME);
      return patch(hotfix, Map.of("op", "add", "path", "/metadata/finalizers", "value", added));
    }
    if (!heldIn(phase) && index >= 0) {
      return patch(hotfix, Map.of("op", "remove", "path", "/metadata/finalizers/" + index));
    }
    return hotfix;
  }

  private Hotfix patch(Hotfix hotfix, Map<String, Object> operation) throws WriteConflict {
    seam.beforeHotfixWrite(hotfix);
    String json = Serialization.asJson(List.of(
        Map.of("op", "replace", "path", "/metadata/resourceVersion",
            "value", hotfix.getMetadata().getResourceVersion()),
        operation));
    try {
      return client.resources(Hotfix.class).inNamespace(hotfix.getMetadata().getNamespace())
          .withName(hotfix.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON), json);
    } catch (KubernetesClientException e) {
      // 409: written since we read; 422: the patch no longer applies to what is stored (the
      // finalizer list changed), which also means we read a stale Hotfix
      if (e.getCode() == 409 || e.getCode() == 422) {
        throw new WriteConflict("Hotfix " + hotfix.getMetadata().getName() + " changed since it was read");
      }
      throw e;
    }
  }
}
