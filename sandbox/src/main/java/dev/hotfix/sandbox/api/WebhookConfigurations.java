package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The stored {@code admissionregistration.k8s.io/v1} webhook configurations: upstream's defaults
 * and the validation that refuses, when a configuration is written, what the sandbox could never
 * call (so a mistake shows at {@code kubectl apply}, not at the first write it should guard);
 * and reading the registered webhooks back, mutating ones first.
 */
final class WebhookConfigurations {
  static final String GROUP = "admissionregistration.k8s.io";
  static final int DEFAULT_TIMEOUT_SECONDS = 10;

  private static final String MUTATING_KIND = "MutatingWebhookConfiguration";
  private static final String MUTATING_PATH = "/apis/" + GROUP + "/v1/mutatingwebhookconfigurations";
  private static final String VALIDATING_PATH = "/apis/" + GROUP + "/v1/validatingwebhookconfigurations";
  private static final List<String> SIDE_EFFECTS = List.of("None", "NoneOnDryRun");
  private static final List<String> FAILURE_POLICIES = List.of("Fail", "Ignore");

  private final CrudStore store;

  WebhookConfigurations(CrudStore store) {
    this.store = store;
  }

  /** Every registered webhook: the mutating ones, then the validating ones, each by configuration name. */
  List<RegisteredWebhook> registered() {
    List<RegisteredWebhook> hooks = new ArrayList<>();
    store.list(MUTATING_PATH).forEach(config -> hooks.addAll(RegisteredWebhook.of(config, true)));
    store.list(VALIDATING_PATH).forEach(config -> hooks.addAll(RegisteredWebhook.of(config, false)));
    return hooks;
  }

  /** Whether a write is to a webhook configuration (never sent to webhooks, as upstream). */
  static boolean isConfiguration(ResourceType type) {
    return type.group().equals(GROUP);
  }

  /**
   * Defaults a configuration as upstream does and validates it.
   *
   * @return the configuration to store
   * @throws InvalidObjectException 422 naming every field to fix
   */
  static JsonNode admit(JsonNode configuration) throws InvalidObjectException {
    ObjectNode defaulted = configuration.deepCopy();
    String kind = defaulted.path("kind").asText();
    boolean mutating = kind.equals(MUTATING_KIND);
    List<FieldError> errors = new ArrayList<>();
    Set<String> names = new HashSet<>();
    int index = 0;
    for (JsonNode hook : defaulted.path("webhooks")) {
      String at = "webhooks[" + index++ + "]";
      if (hook instanceof ObjectNode webhook) {
        applyDefaults(webhook, mutating);
        validate(webhook, at, names, errors);
      } else {
        errors.add(new FieldError("FieldValueInvalid", at, "Invalid value: a webhook must be an object"));
      }
    }
    if (!errors.isEmpty()) {
      throw InvalidObjectException.invalid(kind, GROUP, defaulted.path("metadata").path("name").asText(), errors);
    }
    return defaulted;
  }

  private static void applyDefaults(ObjectNode webhook, boolean mutating) {
    setIfAbsent(webhook, "failurePolicy", "Fail");
    setIfAbsent(webhook, "matchPolicy", "Equivalent");
    setIfAbsent(webhook, "timeoutSeconds", DEFAULT_TIMEOUT_SECONDS);
    if (mutating) {
      setIfAbsent(webhook, "reinvocationPolicy", "Never");
    }
    for (String selector : List.of("namespaceSelector", "objectSelector")) {
      if (!webhook.has(selector)) {
        webhook.putObject(selector);
      }
    }
    webhook.path("rules").forEach(rule -> {
      if (rule instanceof ObjectNode r) {
        setIfAbsent(r, "scope", "*");
      }
    });
  }

  private static void validate(JsonNode webhook, String at, Set<String> names, List<FieldError> errors) {
    String name = webhook.path("name").asText("");
    if (name.isEmpty()) {
      errors.add(required(at + ".name"));
    } else if (!names.add(name)) {
      errors.add(new FieldError("FieldValueDuplicate", at + ".name", "Duplicate value: \"" + name + "\""));
    }
    validateClientConfig(webhook.path("clientConfig"), at + ".clientConfig", errors);
    String sideEffects = webhook.path("sideEffects").asText("");
    if (sideEffects.isEmpty()) {
      errors.add(required(at + ".sideEffects"));
    } else if (!SIDE_EFFECTS.contains(sideEffects)) {
      errors.add(notSupported(at + ".sideEffects", sideEffects, SIDE_EFFECTS));
    }
    String failurePolicy = webhook.path("failurePolicy").asText();
    if (!FAILURE_POLICIES.contains(failurePolicy)) {
      errors.add(notSupported(at + ".failurePolicy", failurePolicy, FAILURE_POLICIES));
    }
    int timeout = webhook.path("timeoutSeconds").asInt(-1);
    if (timeout < 1 || timeout > 30) {
      errors.add(new FieldError("FieldValueInvalid", at + ".timeoutSeconds", "Invalid value: "
          + webhook.path("timeoutSeconds") + ": the timeout value must be between 1 and 30 seconds"));
    }
    boolean speaksV1 = false;
    for (JsonNode version : webhook.path("admissionReviewVersions")) {
      speaksV1 |= version.asText().equals("v1");
    }
    if (!speaksV1) {
      errors.add(new FieldError("FieldValueRequired", at + ".admissionReviewVersions", "Required value: the hotfix "
          + "sandbox sends admission.k8s.io/v1 AdmissionReviews only: list \"v1\""));
    }
    if (webhook.has("matchConditions")) {
      errors.add(new FieldError("FieldValueForbidden", at + ".matchConditions", "Forbidden: the hotfix sandbox does "
          + "not evaluate matchConditions: select requests with rules, namespaceSelector and objectSelector"));
    }
  }

  private static void validateClientConfig(JsonNode clientConfig, String at, List<FieldError> errors) {
    boolean hasUrl = clientConfig.has("url");
    boolean hasService = clientConfig.has("service");
    if (hasUrl == hasService) {
      errors.add(new FieldError("FieldValueRequired", at, "Required value: exactly one of url or service is required"));
      return;
    }
    if (hasUrl) {
      String url = clientConfig.path("url").asText();
      try {
        URI uri = new URI(url);
        if (!"https".equals(uri.getScheme())) {
          errors.add(new FieldError("FieldValueInvalid", at + ".url", "Invalid value: \"" + url
              + "\": 'https' is the only allowed URL scheme"));
        } else if (uri.getHost() == null) {
          errors.add(new FieldError("FieldValueInvalid", at + ".url", "Invalid value: \"" + url
              + "\": host must be specified"));
        }
      } catch (URISyntaxException e) {
        errors.add(new FieldError("FieldValueInvalid", at + ".url", "Invalid value: \"" + url + "\": "
            + e.getMessage()));
      }
    }
  }

  private static FieldError required(String field) {
    return new FieldError("FieldValueRequired", field, "Required value");
  }

  private static FieldError notSupported(String field, String value, List<String> supported) {
    return new FieldError("FieldValueNotSupported", field, "Unsupported value: \"" + value + "\": supported values: "
        + String.join(", ", supported.stream().map(s -> "\"" + s + "\"").toList()));
  }

  private static void setIfAbsent(ObjectNode object, String field, String value) {
    if (!object.hasNonNull(field)) {
      object.put(field, value);
    }
  }

  private static void setIfAbsent(ObjectNode object, String field, int value) {
    if (!object.hasNonNull(field)) {
      object.put(field, value);
    }
  }
}
