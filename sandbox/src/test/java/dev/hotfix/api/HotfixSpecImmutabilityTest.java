package dev.hotfix.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.hotfix.sandbox.api.Admission;
import dev.hotfix.sandbox.api.InvalidObjectException;
import dev.hotfix.sandbox.api.ResourceRef;
import dev.hotfix.sandbox.api.admission.SandboxAdmission;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An approval covers exactly what was approved: the committed Hotfix CRD's transition rules
 * ({@code self == oldSelf} per field) refuse every spec change but {@code abort} on update, as a
 * real API server runs them, and never on create. Seen failing with the rules removed from
 * HotfixSpec (every edit accepted).
 */
class HotfixSpecImmutabilityTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private final SandboxAdmission admission = new SandboxAdmission(ref -> Optional.of(crd()));

  static Stream<Arguments> edits() {
    return Stream.of(
        Arguments.of("severity", (Consumer<ObjectNode>) s -> s.put("severity", "Major")),
        Arguments.of("reason", (Consumer<ObjectNode>) s -> s.put("reason", "something else")),
        Arguments.of("ticket", (Consumer<ObjectNode>) s -> s.put("ticket", "INC-1")),
        Arguments.of("target", (Consumer<ObjectNode>) s -> s.withObjectProperty("target").put("name", "payments")),
        Arguments.of("containers", (Consumer<ObjectNode>) s -> ((ObjectNode) s.withArrayProperty("containers").get(0))
            .put("image", "evil.example.com/miner:1")),
        Arguments.of("rollout", (Consumer<ObjectNode>) s -> s.withObjectProperty("rollout").put("allowDowntime", true)
            .put("maxUnavailable", "100%")),
        Arguments.of("verification", (Consumer<ObjectNode>) s -> s.remove("verification")),
        Arguments.of("rollback", (Consumer<ObjectNode>) s -> s.withObjectProperty("rollback").put("automatic", false)),
        Arguments.of("dryRun", (Consumer<ObjectNode>) s -> s.put("dryRun", true)));
  }

  @ParameterizedTest(name = "spec.{0}")
  @MethodSource("edits")
  void everySpecEditIsRefusedWithAMessageThatSaysWhatToDoInstead(String field, Consumer<ObjectNode> edit)
      throws Exception {
    JsonNode stored = admission.admit(request(Admission.Operation.CREATE, null, example()));
    ObjectNode edited = stored.deepCopy();
    edit.accept(edited.withObjectProperty("spec"));

    InvalidObjectException refused = catchThrowableOfType(InvalidObjectException.class,
        () -> admission.admit(request(Admission.Operation.UPDATE, stored, edited)));

    assertThat(refused).as("an edit of spec.%s was accepted", field).isNotNull();
    assertThat(refused.getMessage()).contains("spec." + field + ": Invalid value",
        "spec." + field + " is immutable: create a new Hotfix", "only spec.abort may change");
  }

  @Test
  void abortAndMetadataMayChangeAndCreateIsNotATransition() throws Exception {
    JsonNode stored = admission.admit(request(Admission.Operation.CREATE, null, example()));
    ObjectNode aborted = stored.deepCopy();
    aborted.withObjectProperty("spec").put("abort", true);
    aborted.withObjectProperty("metadata").withObjectProperty("labels").put("team", "shop");

    JsonNode admitted = admission.admit(request(Admission.Operation.UPDATE, stored, aborted));

    assertThat(admitted.path("spec").path("abort").asBoolean()).isTrue();
  }

  private static Admission.Request request(Admission.Operation operation, JsonNode old, JsonNode object) {
    return new Admission.Request(operation, new ResourceRef("hotfix.dev", "v1alpha1", "hotfixes", "default",
        object.path("metadata").path("name").asText(), null), old, object.deepCopy(),
        Admission.FieldValidation.STRICT);
  }

  private static ObjectNode example() throws IOException {
    ObjectNode hotfix = (ObjectNode) YAML.readTree(Path.of("examples/hotfix-critical.yaml").toFile());
    hotfix.withObjectProperty("metadata").put("namespace", "default");
    return hotfix;
  }

  private static JsonNode crd() {
    try {
      return YAML.readTree(Path.of("crds/hotfixes.hotfix.dev-v1.yml").toFile());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
