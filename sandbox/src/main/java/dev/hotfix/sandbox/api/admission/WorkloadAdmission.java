package dev.hotfix.sandbox.api.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotfix.sandbox.api.Admission;
import dev.hotfix.sandbox.api.FieldError;
import dev.hotfix.sandbox.api.InvalidObjectException;
import dev.hotfix.sandbox.api.ResourceRef;
import java.util.List;

/**
 * Admission of built-in kinds: Deployments, StatefulSets, DaemonSets, ReplicaSets and Pods are defaulted and validated as
 * upstream does on create and update of the resource itself; subresources (status, scale) and
 * every other kind pass through unchanged.
 */
final class WorkloadAdmission {
  private WorkloadAdmission() {
  }

  static JsonNode admit(Admission.Request request) throws InvalidObjectException {
    ResourceRef ref = request.ref();
    if (ref.subresource() != null || !(request.newObject() instanceof ObjectNode object)) {
      return request.newObject();
    }
    List<FieldError> errors;
    String kind;
    switch (ref.apiVersion() + "/" + ref.plural()) {
      case "apps/v1/deployments" -> {
        kind = "Deployment";
        WorkloadDefaults.deployment(object);
        errors = WorkloadValidation.deployment(object);
      }
      case "apps/v1/statefulsets" -> {
        kind = "StatefulSet";
        WorkloadDefaults.statefulSet(object);
        errors = WorkloadValidation.statefulSet(object);
      }
      case "apps/v1/daemonsets" -> {
        kind = "DaemonSet";
        WorkloadDefaults.daemonSet(object);
        errors = WorkloadValidation.daemonSet(object);
      }
      case "apps/v1/replicasets" -> {
        kind = "ReplicaSet";
        WorkloadDefaults.replicaSet(object);
        errors = WorkloadValidation.replicaSet(object);
      }
      case "v1/pods" -> {
        kind = "Pod";
        WorkloadDefaults.pod(object);
        errors = WorkloadValidation.pod(object);
      }
      default -> {
        return object;
      }
    }
    if (!errors.isEmpty()) {
      throw InvalidObjectException.invalid(kind, ref.group(), object.path("metadata").path("name").asText(), errors);
    }
    return object;
  }
}
