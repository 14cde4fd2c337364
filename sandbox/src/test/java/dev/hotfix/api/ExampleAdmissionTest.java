package dev.hotfix.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.hotfix.sandbox.api.Admission;
import dev.hotfix.sandbox.api.InvalidObjectException;
import dev.hotfix.sandbox.api.ResourceRef;
import dev.hotfix.sandbox.api.admission.SandboxAdmission;
import dev.hotfix.testing.ExpectedFailures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed CRDs' schemas and CEL rules, run through the sandbox's admission (what a real
 * API server does on create): every example is accepted, every expected failure meant for
 * admission refused with the errors its {@code # expect:} lines name. The kubectl tests prove the same end to end.
 */
class ExampleAdmissionTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Map<String, JsonNode> CRDS_BY_PLURAL = loadCrds();
  private final SandboxAdmission admission = new SandboxAdmission(ref -> Optional.ofNullable(
      "hotfix.dev".equals(ref.group()) ? CRDS_BY_PLURAL.get(ref.plural()) : null));

  static Stream<Path> valid() throws IOException {
    return yaml(Path.of("examples")).filter(p -> p.getFileName().toString().startsWith("hotfix"));
  }

  static Stream<Path> invalid() {
    return ExpectedFailures.refusedAtAdmission();
  }

  @ParameterizedTest
  @MethodSource("valid")
  void examplesAreAccepted(Path manifest) throws Exception {
    admission.admit(request(YAML.readTree(manifest.toFile())));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void invalidExamplesAreRefusedWithTheExpectedErrors(Path manifest) throws Exception {
    List<String> expected = ExpectedFailures.expectations(manifest);

    InvalidObjectException refused = catchThrowableOfType(InvalidObjectException.class,
        () -> admission.admit(request(YAML.readTree(manifest.toFile()))));

    assertThat(refused).as("%s was accepted", manifest).isNotNull();
    expected.forEach(e -> assertThat(refused.getMessage()).contains(e));
  }

  private static Admission.Request request(JsonNode object) {
    String kind = object.path("kind").asText();
    String plural = switch (kind) {
      case "Hotfix" -> "hotfixes";
      case "HotfixPolicy" -> "hotfixpolicies";
      default -> "hotfixapprovals";
    };
    return new Admission.Request(Admission.Operation.CREATE, new ResourceRef("hotfix.dev", "v1alpha1", plural,
        "default", object.path("metadata").path("name").asText(), null), null, object,
        Admission.FieldValidation.STRICT);
  }

  private static Map<String, JsonNode> loadCrds() {
    try (Stream<Path> files = Files.list(Path.of("crds"))) {
      return files.map(p -> {
        try {
          return YAML.readTree(p.toFile());
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }).collect(Collectors.toMap(c -> c.path("spec").path("names").path("plural").asText(), c -> c));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Stream<Path> yaml(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }
}
