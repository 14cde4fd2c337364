package dev.hotfix.sandbox.api.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.hotfix.sandbox.api.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The part of upstream's workload validation (k8s.io/kubernetes/pkg/apis/apps/validation and
 * core/validation) that an operator relies on: a selector that selects the template, sane
 * replicas and rollout strategy, and containers with a name and an image. Messages are upstream's.
 */
final class WorkloadValidation {
  private static final List<JsonNode> ALWAYS = List.of(TextNode.valueOf("Always"));
  private static final List<JsonNode> RESTART_POLICIES = List.of(TextNode.valueOf("Always"),
      TextNode.valueOf("OnFailure"), TextNode.valueOf("Never"));
  private static final List<JsonNode> STRATEGY_TYPES = List.of(TextNode.valueOf("Recreate"),
      TextNode.valueOf("RollingUpdate"));

  private static final List<JsonNode> POD_MANAGEMENT_POLICIES = List.of(TextNode.valueOf("OrderedReady"),
      TextNode.valueOf("Parallel"));
  /** The update strategies of StatefulSets and DaemonSets. */
  private static final List<JsonNode> STATEFUL_STRATEGY_TYPES = List.of(TextNode.valueOf("RollingUpdate"),
      TextNode.valueOf("OnDelete"));

  private static final String NON_NEGATIVE = "must be greater than or equal to 0";
  /** Upstream's IsValidPercent message (its RegexError, double space included). */
  private static final String NOT_A_PERCENT = "a valid percent string must be a numeric string followed by an ending "
      + "'%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";
  private static final Pattern PERCENT = Pattern.compile("[0-9]+%");

  private WorkloadValidation() {
  }

  static List<FieldError> deployment(JsonNode deployment) {
    JsonNode spec = deployment.path("spec");
    List<FieldError> errors = new ArrayList<>();
    replicas(spec, errors);
    selectedTemplate(spec, errors);
    strategy(spec.path("strategy"), errors);
    nonNegative(spec, "minReadySeconds", errors);
    nonNegative(spec, "revisionHistoryLimit", errors);
    nonNegative(spec, "progressDeadlineSeconds", errors);
    progressDeadline(spec, errors);
    return errors;
  }

  /** Upstream's ValidateDeploymentSpec: a deadline no longer than minReadySeconds could never be met. */
  private static void progressDeadline(JsonNode spec, List<FieldError> errors) {
    JsonNode deadline = spec.path("progressDeadlineSeconds");
    if (deadline.isNumber() && deadline.asLong() <= spec.path("minReadySeconds").asLong(0)) {
      errors.add(FieldErrors.invalid("spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds"));
    }
  }

  static List<FieldError> replicaSet(JsonNode replicaSet) {
    JsonNode spec = replicaSet.path("spec");
    List<FieldError> errors = new ArrayList<>();
    replicas(spec, errors);
    selectedTemplate(spec, errors);
    return errors;
  }

  /** Upstream's ValidateStatefulSetSpec, the parts a rollout depends on. */
  static List<FieldError> statefulSet(JsonNode statefulSet) {
    JsonNode spec = statefulSet.path("spec");
    List<FieldError> errors = new ArrayList<>();
    replicas(spec, errors);
    selectedTemplate(spec, errors);
    nonNegative(spec, "minReadySeconds", errors);
    nonNegative(spec, "revisionHistoryLimit", errors);
    JsonNode policy = spec.path("podManagementPolicy");
    if (!POD_MANAGEMENT_POLICIES.contains(policy)) {
      errors.add(FieldErrors.notSupported("spec.podManagementPolicy", policy, POD_MANAGEMENT_POLICIES));
    }
    JsonNode strategy = spec.path("updateStrategy");
    JsonNode type = strategy.path("type");
    if (!STATEFUL_STRATEGY_TYPES.contains(type)) {
      errors.add(FieldErrors.notSupported("spec.updateStrategy.type", type, STATEFUL_STRATEGY_TYPES));
    } else if (type.asText().equals("OnDelete") && strategy.hasNonNull("rollingUpdate")) {
      errors.add(FieldErrors.invalidRendered("spec.updateStrategy.rollingUpdate", "",
          "only allowed for updateStrategy 'RollingUpdate'"));
    } else if (type.asText().equals("RollingUpdate")) {
      JsonNode partition = strategy.path("rollingUpdate").path("partition");
      if (partition.isNumber() && partition.asLong() < 0) {
        errors.add(FieldErrors.invalid("spec.updateStrategy.rollingUpdate.partition", partition, NON_NEGATIVE));
      }
      JsonNode maxUnavailable = strategy.path("rollingUpdate").path("maxUnavailable");
      positiveIntOrPercent("spec.updateStrategy.rollingUpdate.maxUnavailable", maxUnavailable, errors);
      if (!maxUnavailable.isMissingNode() && isZero(maxUnavailable)) {
        errors.add(FieldErrors.invalidRendered("spec.updateStrategy.rollingUpdate.maxUnavailable",
            maxUnavailable.asText(), "must be greater than 0"));
      }
    }
    return errors;
  }

  /** Upstream's ValidateDaemonSetSpec, the parts a rollout depends on. */
  static List<FieldError> daemonSet(JsonNode daemonSet) {
    JsonNode spec = daemonSet.path("spec");
    List<FieldError> errors = new ArrayList<>();
    selectedTemplate(spec, errors);
    nonNegative(spec, "minReadySeconds", errors);
    nonNegative(spec, "revisionHistoryLimit", errors);
    JsonNode strategy = spec.path("updateStrategy");
    JsonNode type = strategy.path("type");
    if (!STATEFUL_STRATEGY_TYPES.contains(type)) {
      errors.add(FieldErrors.notSupported("spec.updateStrategy.type", type, STATEFUL_STRATEGY_TYPES));
    } else if (type.asText().equals("RollingUpdate")) {
      String at = "spec.updateStrategy.rollingUpdate.";
      JsonNode maxSurge = strategy.path("rollingUpdate").path("maxSurge");
      JsonNode maxUnavailable = strategy.path("rollingUpdate").path("maxUnavailable");
      positiveIntOrPercent(at + "maxUnavailable", maxUnavailable, errors);
      positiveIntOrPercent(at + "maxSurge", maxSurge, errors);
      if (isZero(maxSurge) && isZero(maxUnavailable)) {
        errors.add(FieldErrors.invalidRendered(at + "maxUnavailable", maxUnavailable.asText(),
            "may not be 0 when `maxSurge` is 0"));
      }
    }
    return errors;
  }

  static List<FieldError> pod(JsonNode pod) {
    List<FieldError> errors = new ArrayList<>();
    podSpec(pod.path("spec"), "spec", RESTART_POLICIES, errors);
    return errors;
  }

  private static void replicas(JsonNode spec, List<FieldError> errors) {
    nonNegative(spec, "replicas", errors);
  }

  /** Upstream's ValidateNonnegativeField on {@code spec.<field>}. */
  private static void nonNegative(JsonNode spec, String field, List<FieldError> errors) {
    JsonNode value = spec.path(field);
    if (value.isNumber() && value.asLong() < 0) {
      errors.add(FieldErrors.invalid("spec." + field, value, NON_NEGATIVE));
    }
  }

  /** The selector exists, is not empty and selects the template's labels; the template is valid. */
  private static void selectedTemplate(JsonNode spec, List<FieldError> errors) {
    JsonNode selector = spec.path("selector");
    JsonNode labels = spec.path("template").path("metadata").path("labels");
    if (!selector.isObject()) {
      errors.add(FieldErrors.required("spec.selector", ""));
    } else if (LabelSelectors.isEmpty(selector)) {
      errors.add(FieldErrors.invalidRendered("spec.selector", LabelSelectors.goEmptySelector(selector),
          "empty selector is invalid for deployment"));
    } else if (!LabelSelectors.matches(selector, labels)) {
      errors.add(FieldErrors.invalidRendered("spec.template.metadata.labels", LabelSelectors.goMap(labels),
          "`selector` does not match template `labels`"));
    }
    podSpec(spec.path("template").path("spec"), "spec.template.spec", ALWAYS, errors);
  }

  private static void podSpec(JsonNode spec, String path, List<JsonNode> restartPolicies, List<FieldError> errors) {
    JsonNode containers = spec.path("containers");
    if (containers.isEmpty()) {
      errors.add(FieldErrors.required(path + ".containers", ""));
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < containers.size(); i++) {
      JsonNode container = containers.get(i);
      String at = FieldPath.index(path + ".containers", i);
      String name = container.path("name").asText("");
      if (name.isEmpty()) {
        errors.add(FieldErrors.required(at + ".name", ""));
      } else if (!names.add(name)) {
        errors.add(FieldErrors.duplicate(at + ".name", container.get("name")));
      }
      if (container.path("image").asText("").isEmpty()) {
        errors.add(FieldErrors.required(at + ".image", ""));
      }
    }
    JsonNode restartPolicy = spec.path("restartPolicy");
    if (restartPolicy.isTextual() && !restartPolicies.contains(restartPolicy)) {
      errors.add(FieldErrors.notSupported(path + ".restartPolicy", restartPolicy, restartPolicies));
    }
  }

  private static void strategy(JsonNode strategy, List<FieldError> errors) {
    JsonNode type = strategy.path("type");
    if (!STRATEGY_TYPES.contains(type)) {
      errors.add(FieldErrors.notSupported("spec.strategy.type", type, STRATEGY_TYPES));
    } else if (type.asText().equals("Recreate")) {
      if (strategy.hasNonNull("rollingUpdate")) {
        errors.add(FieldErrors.forbidden("spec.strategy.rollingUpdate",
            "may not be specified when strategy `type` is 'Recreate'"));
      }
    } else {
      // upstream's ValidateRollingUpdateDeployment, in its order
      String at = "spec.strategy.rollingUpdate.";
      JsonNode rollingUpdate = strategy.path("rollingUpdate");
      JsonNode maxSurge = rollingUpdate.path("maxSurge");
      JsonNode maxUnavailable = rollingUpdate.path("maxUnavailable");
      positiveIntOrPercent(at + "maxUnavailable", maxUnavailable, errors);
      positiveIntOrPercent(at + "maxSurge", maxSurge, errors);
      if (isZero(maxSurge) && isZero(maxUnavailable)) {
        // Upstream prints the IntOrString with its String(): 0 or 0%, unquoted.
        errors.add(FieldErrors.invalidRendered(at + "maxUnavailable", maxUnavailable.asText(),
            "may not be 0 when `maxSurge` is 0"));
      }
      if (maxUnavailable.isTextual() && PERCENT.matcher(maxUnavailable.asText()).matches()
          && Long.parseLong(maxUnavailable.asText().replace("%", "")) > 100) {
        errors.add(FieldErrors.invalidRendered(at + "maxUnavailable", maxUnavailable.asText(),
            "must not be greater than 100%"));
      }
    }
  }

  /** Upstream's ValidatePositiveIntOrPercent: a non-negative int or a percent string. */
  private static void positiveIntOrPercent(String field, JsonNode value, List<FieldError> errors) {
    if (value.isNumber() && value.asLong() < 0) {
      errors.add(FieldErrors.invalidRendered(field, value.asText(), NON_NEGATIVE));
    } else if (value.isTextual() && !PERCENT.matcher(value.asText()).matches()) {
      errors.add(FieldErrors.invalidRendered(field, value.asText(), NOT_A_PERCENT));
    }
  }

  /** An IntOrString that allows no pods: {@code 0} or {@code "0%"}. */
  private static boolean isZero(JsonNode intOrPercent) {
    if (intOrPercent.isNumber()) {
      return intOrPercent.asLong() == 0;
    }
    String text = intOrPercent.asText("");
    return text.equals("0") || text.equals("0%");
  }
}
