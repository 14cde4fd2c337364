package dev.hotfix.sandbox.api.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotfix.sandbox.api.Admission.FieldValidation;
import dev.hotfix.sandbox.api.Admission.Operation;
import dev.hotfix.sandbox.api.Admission.Request;
import dev.hotfix.sandbox.api.FieldError;
import dev.hotfix.sandbox.api.InvalidObjectException;
import dev.hotfix.sandbox.api.ResourceRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Built-in workloads: upstream's defaults and the validations an operator relies on. */
class WorkloadAdmissionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ResourceRef DEPLOYMENTS = new ResourceRef("apps", "v1", "deployments", "shop", "web", null);

  private final SandboxAdmission admission = new SandboxAdmission(ref -> Optional.empty());

  @Test
  void minimalDeploymentIsDefaultedAsUpstreamStoresIt() throws InvalidObjectException {
    JsonNode admitted = admit(DEPLOYMENTS, """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
         "spec":{"selector":{"matchLabels":{"app":"web"}},
          "template":{"metadata":{"labels":{"app":"web"}},
           "spec":{"containers":[{"name":"app","image":"shop/web:1.4","ports":[{"containerPort":8080}]}]}}}}""");

    assertThat(admitted).isEqualTo(json("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
         "spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},
          "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"25%","maxSurge":"25%"}},
          "revisionHistoryLimit":10,"progressDeadlineSeconds":600,
          "template":{"metadata":{"labels":{"app":"web"}},
           "spec":{"containers":[{"name":"app","image":"shop/web:1.4",
              "ports":[{"containerPort":8080,"protocol":"TCP"}],
              "imagePullPolicy":"IfNotPresent","terminationMessagePath":"/dev/termination-log",
              "terminationMessagePolicy":"File","resources":{}}],
            "restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst",
            "schedulerName":"default-scheduler","securityContext":{}}}}}"""));
  }

  @Test
  void givenValuesAreKeptAndRecreateGetsNoRollingUpdate() throws InvalidObjectException {
    JsonNode admitted = admit(DEPLOYMENTS, deployment("""
        "replicas":0,"strategy":{"type":"Recreate"},"revisionHistoryLimit":2"""));

    assertThat(admitted.at("/spec/replicas").asInt()).isZero();
    assertThat(admitted.at("/spec/strategy")).isEqualTo(json("{\"type\":\"Recreate\"}"));
    assertThat(admitted.at("/spec/revisionHistoryLimit").asInt()).isEqualTo(2);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "nginx, Always",
      "nginx:latest, Always",
      "registry:5000/shop/web, Always",
      "registry:5000/shop/web:1.2, IfNotPresent",
      "shop/web@sha256:abc, IfNotPresent",
      "shop/web:latest@sha256:abc, Always"})
  void imagePullPolicyFollowsTheTag(String image, String policy) {
    assertThat(WorkloadDefaults.pullPolicy(image)).isEqualTo(policy);
  }

  @Test
  void selectorThatDoesNotMatchTheTemplateIsRefused() {
    InvalidObjectException refused = refused(deployment("")
        .replace("\"labels\":{\"app\":\"web\"}", "\"labels\":{\"app\":\"other\",\"tier\":\"x\"}"));

    assertThat(refused.errors()).containsExactly(new FieldError("FieldValueInvalid", "spec.template.metadata.labels",
        "Invalid value: map[string]string{\"app\":\"other\", \"tier\":\"x\"}: `selector` does not match template `labels`"));
    assertThat(refused.getMessage()).startsWith("Deployment.apps \"web\" is invalid: spec.template.metadata.labels");
  }

  /** Upstream's rule; the default deadline (600) counts too, as upstream defaults before it validates. */
  @Test
  void aProgressDeadlineNotAboveMinReadySecondsIsRefused() throws InvalidObjectException {
    assertThat(refused(deployment("\"minReadySeconds\":400,\"progressDeadlineSeconds\":300")).errors())
        .extracting(FieldError::toString)
        .containsExactly("spec.progressDeadlineSeconds: Invalid value: 300: must be greater than minReadySeconds");
    assertThat(refused(deployment("\"minReadySeconds\":600")).errors()).extracting(FieldError::field)
        .containsExactly("spec.progressDeadlineSeconds");
    admit(DEPLOYMENTS, deployment("\"minReadySeconds\":400,\"progressDeadlineSeconds\":401"));
  }

  @Test
  void matchExpressionsSelectTemplates() throws InvalidObjectException {
    admit(DEPLOYMENTS, deployment("""
        "selector":{"matchExpressions":[{"key":"app","operator":"In","values":["web","api"]},
          {"key":"canary","operator":"DoesNotExist"}]}"""));

    assertThat(refused(deployment("""
        "selector":{"matchExpressions":[{"key":"app","operator":"NotIn","values":["web"]}]}""")).errors())
        .extracting(FieldError::field).containsExactly("spec.template.metadata.labels");
  }

  @Test
  void missingSelectorNegativeReplicasAndContainersWithoutNameOrImageAreRefused() {
    String body = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
         "spec":{"replicas":-1,"template":{"metadata":{"labels":{"app":"web"}},
          "spec":{"containers":[{"image":"img:1"},{"name":"b"}]}}}}""";

    assertThat(refused(body).errors()).extracting(FieldError::toString).containsExactly(
        "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
        "spec.selector: Required value",
        "spec.template.spec.containers[0].name: Required value",
        "spec.template.spec.containers[1].image: Required value");
  }

  @Test
  void emptySelectorAndNoContainersAreRefused() {
    String body = """
        {"metadata":{"name":"web"},"spec":{"selector":{},"template":{"metadata":{"labels":{"app":"web"}},"spec":{}}}}""";

    assertThat(refused(body).errors()).extracting(FieldError::toString).containsExactly(
        "spec.selector: Invalid value: &v1.LabelSelector{MatchLabels:map[string]string(nil), "
            + "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment",
        "spec.template.spec.containers: Required value");
  }

  @Test
  void recreateWithRollingUpdateAndZeroSurgeWithZeroUnavailableAreRefused() {
    InvalidObjectException recreate = refused(deployment("""
        "strategy":{"type":"Recreate","rollingUpdate":{"maxSurge":1}}"""));
    InvalidObjectException zero = refused(deployment("""
        "strategy":{"rollingUpdate":{"maxSurge":0,"maxUnavailable":"0%"}}"""));

    assertThat(recreate.errors()).containsExactly(new FieldError("FieldValueForbidden", "spec.strategy.rollingUpdate",
        "Forbidden: may not be specified when strategy `type` is 'Recreate'"));
    assertThat(zero.errors()).containsExactly(new FieldError("FieldValueInvalid",
        "spec.strategy.rollingUpdate.maxUnavailable", "Invalid value: 0%: may not be 0 when `maxSurge` is 0"));
  }

  /**
   * The rest of upstream's ValidateDeploymentSpec and ValidateRollingUpdateDeployment, messages
   * and order as upstream's. Seen failing before the rules existed (every one was admitted).
   */
  @Test
  void rollingUpdateValuesMustBeNonNegativeOrPercentsAndCountsNonNegative() {
    InvalidObjectException refused = refused(deployment("""
        "minReadySeconds":-1,"revisionHistoryLimit":-2,"progressDeadlineSeconds":-3,
        "strategy":{"rollingUpdate":{"maxSurge":"five","maxUnavailable":-1}}"""));
    InvalidObjectException tooMuch = refused(deployment("""
        "strategy":{"rollingUpdate":{"maxSurge":"10%","maxUnavailable":"150%"}}"""));

    assertThat(refused.errors()).extracting(FieldError::toString).containsExactly(
        "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: -1: must be greater than or equal to 0",
        "spec.strategy.rollingUpdate.maxSurge: Invalid value: five: a valid percent string must be a numeric string "
            + "followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
        "spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0",
        "spec.revisionHistoryLimit: Invalid value: -2: must be greater than or equal to 0",
        "spec.progressDeadlineSeconds: Invalid value: -3: must be greater than or equal to 0",
        "spec.progressDeadlineSeconds: Invalid value: -3: must be greater than minReadySeconds");
    assertThat(tooMuch.errors()).extracting(FieldError::toString).containsExactly(
        "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 150%: must not be greater than 100%");
  }

  @Test
  void deploymentTemplatesMustRestartAlways() {
    InvalidObjectException refused = refused(deployment("")
        .replace("\"containers\"", "\"restartPolicy\":\"Never\",\"containers\""));

    assertThat(refused.errors()).extracting(FieldError::toString).containsExactly(
        "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"");
  }

  @Test
  void replicaSetsAndPodsGetTemplateDefaults() throws InvalidObjectException {
    JsonNode replicaSet = admit(new ResourceRef("apps", "v1", "replicasets", "shop", "web-1", null), """
        {"metadata":{"name":"web-1"},"spec":{"selector":{"matchLabels":{"app":"web"}},
         "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"app","image":"img"}]}}}}""");
    JsonNode pod = admit(new ResourceRef("", "v1", "pods", "shop", "p", null), """
        {"metadata":{"name":"p"},"spec":{"containers":[{"name":"app","image":"img:1"}]}}""");

    assertThat(replicaSet.at("/spec/replicas").asInt()).isEqualTo(1);
    assertThat(replicaSet.at("/spec/template/spec/containers/0/imagePullPolicy").asText()).isEqualTo("Always");
    assertThat(pod.at("/spec/restartPolicy").asText()).isEqualTo("Always");
    assertThat(pod.at("/spec/enableServiceLinks").asBoolean()).isTrue();
    assertThat(pod.at("/spec/containers/0/terminationMessagePolicy").asText()).isEqualTo("File");
  }

  @Test
  void statusWritesAndOtherKindsPassThroughUnchanged() throws InvalidObjectException {
    String invalid = "{\"metadata\":{\"name\":\"web\"},\"spec\":{\"replicas\":-1},\"status\":{\"replicas\":1}}";

    JsonNode status = admit(new ResourceRef("apps", "v1", "deployments", "shop", "web", "status"), invalid);
    JsonNode service = admit(new ResourceRef("", "v1", "services", "shop", "web", null), invalid);

    assertThat(status).isEqualTo(json(invalid));
    assertThat(service).isEqualTo(json(invalid));
  }

  private JsonNode admit(ResourceRef ref, String body) throws InvalidObjectException {
    return admission.admit(new Request(Operation.CREATE, ref, null, json(body), FieldValidation.STRICT));
  }

  private InvalidObjectException refused(String deployment) {
    InvalidObjectException refused = catchThrowableOfType(InvalidObjectException.class, () -> admit(DEPLOYMENTS, deployment));
    assertThat(refused).as("refused").isNotNull();
    assertThat(refused.code()).isEqualTo(422);
    return refused;
  }

  /** A Deployment of one container {@code app}; {@code specFields} are added to spec (defaults to a matching selector). */
  private static String deployment(String specFields) {
    String selector = specFields.contains("\"selector\"") ? "" : "\"selector\":{\"matchLabels\":{\"app\":\"web\"}},";
    return """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
         "spec":{%s%s"template":{"metadata":{"labels":{"app":"web"}},
          "spec":{"containers":[{"name":"app","image":"img:2"}]}}}}"""
        .formatted(selector, specFields.isEmpty() ? "" : specFields + ",");
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
