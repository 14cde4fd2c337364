package dev.hotfix.sandbox.api.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * Patches as kubectl 1.32 sends them, applied to stored objects; the results are what a real API
 * server stores. The kubectl patches were recorded from kubectl v1.32.4 pointed at a small HTTP
 * server serving discovery and this Deployment ({@code set image}, client-side {@code apply},
 * {@code rollout pause|resume|restart}, {@code patch}).
 */
class StrategicMergePatchTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String WEB = """
      {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"shop"},
       "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
        "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1,"maxUnavailable":0}},
        "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[
          {"name":"app","image":"img:1","args":["--x"],
           "env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],
           "ports":[{"containerPort":8080,"protocol":"TCP"}]},
          {"name":"sidecar","image":"proxy:1"}]}}}}
      """;

  @Test
  void kubectlSetImageChangesOnlyTheNamedContainer() {
    JsonNode recorded = deployment(WEB, """
        {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"app"},{"name":"sidecar"}],
          "containers":[{"image":"img:2","name":"app"}]}}}}
        """);
    JsonNode withoutOrder = deployment(WEB, """
        {"spec":{"template":{"spec":{"containers":[{"image":"img:2","name":"app"}]}}}}
        """);

    assertThat(recorded).isEqualTo(json(WEB.replace("img:1", "img:2")));
    assertThat(withoutOrder).isEqualTo(recorded);
  }

  @Test
  void kubectlApplyOfAChangedDeploymentDeletesTheRemovedEnvAndReplacesAtomicLists() {
    String lastApplied = "{\\\"apiVersion\\\":\\\"apps/v1\\\",\\\"kind\\\":\\\"Deployment\\\"}\\n";
    JsonNode result = deployment(WEB, """
        {"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"%s"}},
         "spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"app"},{"name":"sidecar"}],
          "containers":[{"$setElementOrder/env":[{"name":"A"}],"args":["--y"],
            "env":[{"$patch":"delete","name":"B"}],"image":"img:2","name":"app"}]}}}}
        """.formatted(lastApplied));

    assertThat(result).isEqualTo(json("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"shop",
          "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"%s"}},
         "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
          "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1,"maxUnavailable":0}},
          "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[
            {"name":"app","image":"img:2","args":["--y"],
             "env":[{"name":"A","value":"1"}],
             "ports":[{"containerPort":8080,"protocol":"TCP"}]},
            {"name":"sidecar","image":"proxy:1"}]}}}}
        """.formatted(lastApplied)));
  }

  @Test
  void kubectlApplyAddingAContainerAndAnEnvVarPlacesThemInTheAppliedOrder() {
    JsonNode result = deployment(WEB, """
        {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"init"},{"name":"app"},{"name":"sidecar"}],
          "containers":[{"$setElementOrder/env":[{"name":"A"},{"name":"C"},{"name":"B"}],
            "env":[{"name":"C","value":"3"}],"name":"app"},{"image":"init:1","name":"init"}]}}}}
        """);

    JsonNode containers = result.at("/spec/template/spec/containers");
    assertThat(containers.findValuesAsText("name")).containsExactly("init", "app", "A", "C", "B", "sidecar");
    assertThat(containers.get(1).get("env")).isEqualTo(json("""
        [{"name":"A","value":"1"},{"name":"C","value":"3"},{"name":"B","value":"2"}]"""));
  }

  @Test
  void kubectlApplySwitchingToRecreateRetainsOnlyTheTypeKey() {
    JsonNode result = deployment(WEB, """
        {"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":null,"type":"Recreate"}}}
        """);

    assertThat(result.at("/spec/strategy")).isEqualTo(json("{\"type\":\"Recreate\"}"));
  }

  @Test
  void kubectlRolloutPauseResumeAndScaleSetScalars() {
    JsonNode paused = deployment(WEB, "{\"spec\":{\"paused\":true}}");
    JsonNode resumed = deployment(paused.toString(), "{\"spec\":{\"paused\":null}}");
    // kubectl scale PATCHes /scale with a JSON merge patch; kubectl patch -p sends this.
    JsonNode scaled = deployment(resumed.toString(), "{\"spec\":{\"replicas\":5}}");

    assertThat(paused.at("/spec/paused").asBoolean()).isTrue();
    assertThat(scaled).isEqualTo(json(WEB.replace("\"replicas\":2", "\"replicas\":5")));
  }

  @Test
  void kubectlRolloutRestartAddsATemplateAnnotation() {
    JsonNode result = deployment(WEB, """
        {"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-21T05:00:00Z"}}}}}
        """);

    assertThat(result.at("/spec/template/metadata")).isEqualTo(json("""
        {"labels":{"app":"web"},"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-21T05:00:00Z"}}"""));
  }

  @Test
  void patchDirectivesReplaceAndDeleteInMapsAndLists() {
    JsonNode replacedList = deployment(WEB, """
        {"spec":{"template":{"spec":{"containers":[{"$patch":"replace"},{"name":"only","image":"x:1"}]}}}}
        """);
    JsonNode replacedMap = deployment(WEB, """
        {"spec":{"selector":{"$patch":"replace","matchLabels":{"tier":"front"}}}}
        """);
    JsonNode deletedMap = deployment(WEB, "{\"spec\":{\"strategy\":{\"$patch\":\"delete\"}}}");
    JsonNode deletedElement = deployment(WEB, """
        {"spec":{"template":{"spec":{"containers":[{"$patch":"delete","name":"sidecar"}]}}}}
        """);

    assertThat(replacedList.at("/spec/template/spec/containers")).isEqualTo(json("[{\"name\":\"only\",\"image\":\"x:1\"}]"));
    assertThat(replacedMap.at("/spec/selector")).isEqualTo(json("{\"matchLabels\":{\"tier\":\"front\"}}"));
    assertThat(deletedMap.at("/spec/strategy")).isEqualTo(json("{}"));
    assertThat(deletedElement.at("/spec/template/spec/containers")).hasSize(1);
    assertThat(deletedElement.at("/spec/template/spec/containers/0/name").asText()).isEqualTo("app");
  }

  @Test
  void finalizersMergeAsASetAndDeleteFromPrimitiveListRemoves() {
    String pod = "{\"metadata\":{\"name\":\"p\",\"finalizers\":[\"a\",\"b\"]}}";

    JsonNode added = StrategicMergePatch.apply(json(pod), json("{\"metadata\":{\"finalizers\":[\"b\",\"c\"]}}"), "v1", "Pod");
    JsonNode removed = StrategicMergePatch.apply(json(pod),
        json("{\"metadata\":{\"$deleteFromPrimitiveList/finalizers\":[\"a\"]}}"), "v1", "Pod");

    assertThat(added.at("/metadata/finalizers")).isEqualTo(json("[\"a\",\"b\",\"c\"]"));
    assertThat(removed.at("/metadata/finalizers")).isEqualTo(json("[\"b\"]"));
  }

  /**
   * Without {@code $setElementOrder}, upstream puts an element new to the server before the
   * server's own elements (they cannot be compared by server position), so {@code u2} comes first.
   */
  @Test
  void conditionsOwnerReferencesAndServicePortsMergeByTheirKeys() {
    JsonNode status = deployment("""
        {"metadata":{"ownerReferences":[{"uid":"u1","name":"a"}]},
         "status":{"conditions":[{"type":"Available","status":"True"},{"type":"Progressing","status":"True"}]}}
        """, """
        {"metadata":{"ownerReferences":[{"uid":"u2","name":"b"}]},
         "status":{"conditions":[{"type":"Progressing","status":"False","reason":"ProgressDeadlineExceeded"}]}}
        """);
    JsonNode service = StrategicMergePatch.apply(
        json("{\"spec\":{\"ports\":[{\"port\":80,\"targetPort\":8080},{\"port\":443}]}}"),
        json("{\"spec\":{\"ports\":[{\"port\":80,\"targetPort\":9090}]}}"), "v1", "Service");

    assertThat(status).isEqualTo(json("""
        {"metadata":{"ownerReferences":[{"uid":"u2","name":"b"},{"uid":"u1","name":"a"}]},
         "status":{"conditions":[{"type":"Available","status":"True"},
           {"type":"Progressing","status":"False","reason":"ProgressDeadlineExceeded"}]}}"""));
    assertThat(service).isEqualTo(json("{\"spec\":{\"ports\":[{\"port\":80,\"targetPort\":9090},{\"port\":443}]}}"));
  }

  @Test
  void listsWithoutMergeStrategyAreReplacedAndNullDeletes() {
    JsonNode configMap = StrategicMergePatch.apply(
        json("{\"data\":{\"a\":\"1\",\"b\":\"2\"},\"metadata\":{\"labels\":{\"x\":\"y\"}}}"),
        json("{\"data\":{\"a\":null,\"c\":\"3\"}}"), "v1", "ConfigMap");
    JsonNode tolerations = deployment(
        "{\"spec\":{\"template\":{\"spec\":{\"tolerations\":[{\"key\":\"a\"},{\"key\":\"b\"}]}}}}",
        "{\"spec\":{\"template\":{\"spec\":{\"tolerations\":[{\"key\":\"c\"}]}}}}");

    assertThat(configMap).isEqualTo(json("{\"data\":{\"b\":\"2\",\"c\":\"3\"},\"metadata\":{\"labels\":{\"x\":\"y\"}}}"));
    assertThat(tolerations.at("/spec/template/spec/tolerations")).isEqualTo(json("[{\"key\":\"c\"}]"));
  }

  @Test
  void volumesMergeByNameAndRetainKeysSwitchesTheVolumeSource() {
    JsonNode result = deployment("""
        {"spec":{"template":{"spec":{"volumes":[{"name":"data","emptyDir":{}},{"name":"conf","configMap":{"name":"c"}}]}}}}
        """, """
        {"spec":{"template":{"spec":{"$setElementOrder/volumes":[{"name":"data"},{"name":"conf"}],
          "volumes":[{"$retainKeys":["name","secret"],"name":"data","secret":{"secretName":"s"}}]}}}}
        """);

    assertThat(result.at("/spec/template/spec/volumes")).isEqualTo(json("""
        [{"name":"data","secret":{"secretName":"s"}},{"name":"conf","configMap":{"name":"c"}}]"""));
  }

  @Test
  void supportsBuiltinKindsOnly() {
    assertThat(StrategicMergePatch.supports("apps/v1", "Deployment")).isTrue();
    assertThat(StrategicMergePatch.supports("v1", "ConfigMap")).isTrue();
    assertThat(StrategicMergePatch.supports("batch/v1", "Job")).isTrue();
    assertThat(StrategicMergePatch.supports("hotfix.dev/v1alpha1", "Hotfix")).isFalse();
  }

  @Test
  void malformedPatchesAreRefusedWithAClearMessage() {
    assertThatThrownBy(() -> deployment(WEB, "{\"spec\":{\"$patch\":\"explode\"}}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown patch type: \"explode\"");
    assertThatThrownBy(() -> deployment(WEB, "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"image\":\"x\"}]}}}}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not contain declared merge key: name");
    assertThatThrownBy(() -> deployment(WEB, "{\"spec\":{\"strategy\":{\"$retainKeys\":\"type\"}}}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("$retainKeys must be a list");
    assertThatThrownBy(() -> deployment(WEB, "[1]"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be a JSON object");
  }

  @Test
  void leavesItsArgumentsUnchanged() {
    JsonNode original = json(WEB);
    JsonNode patch = json("{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"$patch\":\"delete\",\"name\":\"app\"}]}}}}");

    StrategicMergePatch.apply(original, patch, "apps/v1", "Deployment");

    assertThat(original).isEqualTo(json(WEB));
    assertThat(patch).isEqualTo(json("{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"$patch\":\"delete\",\"name\":\"app\"}]}}}}"));
  }

  private static JsonNode deployment(String original, String patch) {
    return StrategicMergePatch.apply(json(original), json(patch), "apps/v1", "Deployment");
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(text, e);
    }
  }
}
