package dev.hotfix.sandbox.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Controller owner references: how a ReplicaSet names its Deployment and a Pod its ReplicaSet.
 * Informers index objects by their controller's uid so a controller finds what it owns without
 * scanning a namespace, which keeps the per-event cost flat as the cluster grows.
 */
final class ControllerRefs {

  /** The name of the informer index that maps a controller's uid to the objects it controls. */
  static final String BY_CONTROLLER_UID = "controller-uid";

  private ControllerRefs() {}

  /** The index definition for {@link #BY_CONTROLLER_UID}. */
  static <T extends HasMetadata> Map<String, Function<T, List<String>>> indexer() {
    return Map.of(
        BY_CONTROLLER_UID,
        obj -> controllerOf(obj).map(ref -> List.of(ref.getUid())).orElse(List.of()));
  }

  /** The owner reference marked {@code controller: true}, if any. */
  static Optional<OwnerReference> controllerOf(HasMetadata obj) {
    List<OwnerReference> refs = obj.getMetadata().getOwnerReferences();
    if (refs == null) {
      return Optional.empty();
    }
    return refs.stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst();
  }

  /** The controller reference of the given kind, if the object has one. */
  static Optional<OwnerReference> controllerOf(HasMetadata obj, String kind) {
    return controllerOf(obj).filter(ref -> kind.equals(ref.getKind()));
  }

  /** A reference that makes {@code owner} the controller of a new object, as upstream writes it. */
  static OwnerReference controlledBy(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /** The work-queue key of an object: namespace/name. */
  static String keyOf(HasMetadata obj) {
    return obj.getMetadata().getNamespace() + "/" + obj.getMetadata().getName();
  }

  /** The key of a controller found through a reference held by an object in the same namespace. */
  static String keyOf(HasMetadata dependent, OwnerReference ref) {
    return dependent.getMetadata().getNamespace() + "/" + ref.getName();
  }
}
