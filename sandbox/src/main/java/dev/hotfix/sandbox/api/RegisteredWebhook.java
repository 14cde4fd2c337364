package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotfix.sandbox.api.admission.LabelSelectors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One webhook of a stored {@code MutatingWebhookConfiguration} or
 * {@code ValidatingWebhookConfiguration} (defaulted when it was stored), and upstream's rules for
 * which requests it wants to see.
 *
 * @param name the webhook's name, as denial and failure messages quote it
 * @param mutating whether it may patch the object
 * @param spec the webhook as stored (clientConfig, rules, selectors, failurePolicy, ...)
 */
record RegisteredWebhook(String name, boolean mutating, JsonNode spec) {
  /** Upstream's label on every namespace, so namespaceSelectors can select namespaces by name. */
  private static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

  /** The webhooks of one stored configuration, in their order. */
  static List<RegisteredWebhook> of(JsonNode configuration, boolean mutating) {
    List<RegisteredWebhook> hooks = new ArrayList<>();
    configuration.path("webhooks").forEach(hook -> hooks.add(new RegisteredWebhook(hook.path("name").asText(),
        mutating, hook)));
    return hooks;
  }

  /** {@code failurePolicy: Ignore}: a webhook that cannot be called lets the request through. */
  boolean ignoresFailures() {
    return "Ignore".equals(spec.path("failurePolicy").asText());
  }

  /** {@code timeoutSeconds}, 10 when not set, as upstream defaults it. */
  Duration timeout() {
    return Duration.ofSeconds(spec.path("timeoutSeconds").asInt(WebhookConfigurations.DEFAULT_TIMEOUT_SECONDS));
  }

  /**
   * Whether this webhook wants the write: one of its rules matches the operation and resource,
   * and its namespace and object selectors match.
   *
   * @param namespaceLabels the labels of the write's namespace (of the Namespace itself for a
   *     Namespace write), null for other cluster-scoped resources
   */
  boolean matches(AdmissionAttributes write, JsonNode namespaceLabels) {
    boolean ruleMatches = false;
    for (JsonNode rule : spec.path("rules")) {
      ruleMatches |= ruleMatches(rule, write);
    }
    return ruleMatches
        && (namespaceLabels == null || selects(spec.path("namespaceSelector"), namespaceLabels))
        && (selectsObject(spec.path("objectSelector"), write.object())
            || selectsObject(spec.path("objectSelector"), write.oldObject()));
  }

  /** The labels a namespaceSelector is matched against, with the name label upstream sets on every namespace. */
  static JsonNode namespaceLabels(String namespace, JsonNode namespaceObject) {
    ObjectNode labels = CrudStore.JSON.createObjectNode();
    if (namespaceObject != null && namespaceObject.path("metadata").path("labels").isObject()) {
      labels.setAll((ObjectNode) namespaceObject.path("metadata").path("labels"));
    }
    labels.put(NAMESPACE_NAME_LABEL, namespace);
    return labels;
  }

  private static boolean ruleMatches(JsonNode rule, AdmissionAttributes write) {
    ResourceType type = write.type();
    String scope = rule.path("scope").asText("*");
    boolean scopeMatches = scope.equals("*") || scope.equals(type.namespaced() ? "Namespaced" : "Cluster");
    return scopeMatches && listed(rule.path("operations"), write.operation())
        && listed(rule.path("apiGroups"), type.group()) && listed(rule.path("apiVersions"), type.version())
        && resourceListed(rule.path("resources"), type.plural(), write.ref().subresource());
  }

  /** {@code *} is every resource but no subresource; {@code x/*} is x and its subresources; {@code *}{@code /*} all. */
  private static boolean resourceListed(JsonNode resources, String plural, String subresource) {
    String sub = subresource == null ? "" : subresource;
    for (JsonNode entry : resources) {
      String[] parts = entry.asText().split("/", 2);
      String entrySub = parts.length == 2 ? parts[1] : "";
      if ((parts[0].equals("*") || parts[0].equals(plural)) && (entrySub.equals("*") || entrySub.equals(sub))) {
        return true;
      }
    }
    return false;
  }

  private static boolean listed(JsonNode values, String value) {
    for (JsonNode candidate : values) {
      if (candidate.asText().equals("*") || candidate.asText().equals(value)) {
        return true;
      }
    }
    return false;
  }

  /** An absent selector selects everything, as upstream's default {@code {}} does. */
  private static boolean selects(JsonNode selector, JsonNode labels) {
    return selector.isMissingNode() || selector.isNull() || LabelSelectors.matches(selector, labels);
  }

  /** As upstream: an empty selector selects everything, a missing object (the new one of a delete) nothing else. */
  private static boolean selectsObject(JsonNode selector, JsonNode object) {
    if (selector.isMissingNode() || selector.isNull() || LabelSelectors.isEmpty(selector)) {
      return true;
    }
    return object != null && LabelSelectors.matches(selector, object.path("metadata").path("labels"));
  }
}
