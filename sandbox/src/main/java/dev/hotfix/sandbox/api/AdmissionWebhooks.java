package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admission as upstream orders it: the matching mutating webhooks (their JSON patches applied in
 * turn), then the sandbox's own defaulting and schema validation ({@link Admission}), then the
 * matching validating webhooks. A denial answers with the webhook's status code (403 when it gives
 * none) and upstream's message; a webhook that cannot be called fails the write with 500 under
 * {@code failurePolicy: Fail} and is skipped under {@code Ignore}.
 *
 * <p>Writes to the webhook configurations themselves, and the sandbox's own writes (the simulated
 * cluster's controllers, the server's start-up objects), are never sent to webhooks: a webhook can
 * neither lock itself out nor slow or break the simulated cluster.
 */
final class AdmissionWebhooks {
  private static final Logger LOG = LoggerFactory.getLogger(AdmissionWebhooks.class);
  private static final Map<Integer, String> REASONS = Map.of(400, "BadRequest", 401, "Unauthorized",
      403, "Forbidden", 404, "NotFound", 409, "Conflict", 422, "Invalid", 429, "TooManyRequests",
      500, "InternalError");

  private final CrudStore store;
  private final Admission admission;
  private final WebhookConfigurations configurations;
  private final WebhookCall calls = new WebhookCall();

  AdmissionWebhooks(CrudStore store, Admission admission) {
    this.store = store;
    this.admission = admission;
    this.configurations = new WebhookConfigurations(store);
  }

  /** The webhooks that want to see a write, mutating ones first; quick (no call), so fine under the pipeline's lock. */
  List<RegisteredWebhook> matching(AdmissionAttributes write) {
    if (WebhookConfigurations.isConfiguration(write.type()) || write.user().equals(UserInfo.CONTROLLERS)
        || write.user().equals(UserInfo.API_SERVER)) {
      return List.of();
    }
    List<RegisteredWebhook> registered = configurations.registered();
    if (registered.isEmpty()) {
      return List.of();
    }
    JsonNode namespaceLabels = namespaceLabels(write);
    return registered.stream().filter(hook -> hook.matches(write, namespaceLabels)).toList();
  }

  /**
   * Admits a write through {@code hooks} (from {@link #matching}) and the sandbox's own admission.
   * Calls webhooks over the network when there are any: never call it holding a lock others wait on.
   *
   * @return the object to store; null for a delete
   * @throws ApiError the refusal to answer (a denial, a failed webhook, an invalid object)
   */
  JsonNode admit(AdmissionAttributes write, List<RegisteredWebhook> hooks) {
    AdmissionAttributes current = write;
    for (RegisteredWebhook hook : hooks) {
      if (hook.mutating()) {
        current = mutated(current, hook);
      }
    }
    JsonNode admitted = current.object() == null ? null : admittedBySandbox(current);
    for (RegisteredWebhook hook : hooks) {
      if (!hook.mutating()) {
        ask(hook, current.withObject(admitted));
      }
    }
    return admitted;
  }

  private AdmissionAttributes mutated(AdmissionAttributes write, RegisteredWebhook hook) {
    WebhookCall.Answer answer = ask(hook, write);
    if (answer == null || answer.jsonPatch() == null || write.object() == null) {
      return write;
    }
    try {
      JsonNode patched = JsonPatch.apply(answer.jsonPatch(), view(write, write.object()));
      return write.withObject(write.isScale() ? ScaleSubresource.apply(write.object(), patched) : patched);
    } catch (JsonPatchException | IllegalArgumentException e) {
      throw ApiError.internal("Internal error occurred: the patch of webhook \"" + hook.name()
          + "\" does not apply: " + e.getMessage());
    }
  }

  /** One call; null when it failed and the webhook's failurePolicy ignores that. */
  private WebhookCall.Answer ask(RegisteredWebhook hook, AdmissionAttributes write) {
    WebhookCall.Answer answer;
    try {
      answer = calls.ask(hook, write, view(write, write.object()), view(write, write.oldObject()));
    } catch (WebhookCall.Failure failure) {
      if (hook.ignoresFailures()) {
        LOG.warn("failed calling webhook \"{}\" (failurePolicy Ignore, the write goes on): {}", hook.name(),
            failure.getMessage());
        return null;
      }
      throw ApiError.internal("Internal error occurred: failed calling webhook \"" + hook.name() + "\": "
          + failure.getMessage());
    }
    if (!answer.allowed()) {
      throw denied(hook, answer.status());
    }
    return answer;
  }

  /** Upstream's denial: the webhook's code (403 without one, never below 400) and message. */
  private static ApiError denied(RegisteredWebhook hook, JsonNode status) {
    int code = status.path("code").asInt(0);
    code = code == 0 ? 403 : Math.max(code, 400);
    String message = status.path("message").asText("");
    String reason = status.path("reason").asText("");
    String deniedBy = "admission webhook \"" + hook.name() + "\" denied the request";
    String text = !message.isEmpty() ? deniedBy + ": " + message
        : !reason.isEmpty() ? deniedBy + ": " + reason : deniedBy + " without explanation";
    return ApiError.of(code, reason.isEmpty() ? REASONS.getOrDefault(code, "Forbidden") : reason, text);
  }

  /** Defaults and schema validation (and, for webhook configurations, their own). */
  private JsonNode admittedBySandbox(AdmissionAttributes write) {
    ResourceRef ref = write.ref().isStatus() ? write.ref() : ApiPaths.object(write.ref());
    Admission.Operation operation = write.operation().equals(AdmissionAttributes.CREATE)
        ? Admission.Operation.CREATE : Admission.Operation.UPDATE;
    try {
      JsonNode object = WebhookConfigurations.isConfiguration(write.type()) && !write.ref().isStatus()
          ? WebhookConfigurations.admit(write.object()) : write.object();
      return admission.admit(new Admission.Request(operation, ref, write.oldObject(), object,
          write.options().fieldValidation()));
    } catch (InvalidObjectException e) {
      throw ApiError.refused(e);
    }
  }

  /** What a webhook sees of an object: the object, or its Scale for a write to {@code scale}. */
  private static JsonNode view(AdmissionAttributes write, JsonNode object) {
    return object != null && write.isScale() ? ScaleSubresource.of(object) : object;
  }

  /**
   * The labels a namespaceSelector sees: the write's namespace's, the Namespace's own for a
   * Namespace, none (null: the selector does not apply) for other cluster-scoped resources.
   */
  private JsonNode namespaceLabels(AdmissionAttributes write) {
    ResourceType type = write.type();
    if (type.group().isEmpty() && type.plural().equals("namespaces")) {
      JsonNode namespace = write.object() != null ? write.object() : write.oldObject();
      return RegisteredWebhook.namespaceLabels(write.ref().name(), namespace);
    }
    if (!type.namespaced()) {
      return null;
    }
    String namespace = write.ref().namespace();
    return RegisteredWebhook.namespaceLabels(namespace, store.get("/api/v1/namespaces/" + namespace).orElse(null));
  }
}
