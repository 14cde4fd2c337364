package dev.hotfix.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotfix.testing.ExpectedFailures;
import dev.hotfix.testing.Kubectl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every manifest under examples/ is accepted, and every one under examples/expected-failures/
 * meant for admission is refused with the exact error its {@code # expect:} lines name, when applied with the real kubectl to
 * the sandbox (which validates like a real API server: schema, CEL rules, unknown fields).
 */
class ExampleManifestsTest {
  private static Sandbox sandbox;
  private static Kubectl kubectl;

  @BeforeAll
  static void startSandbox(@TempDir Path dir) {
    sandbox = Sandbox.start(SandboxOptions.defaults().withPrometheus(false));
    kubectl = new Kubectl(sandbox.writeKubeconfig(dir.resolve("kubeconfig")));
  }

  @AfterAll
  static void stopSandbox() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  static Stream<Path> validExamples() throws IOException {
    return yamlIn(Path.of("examples"));
  }

  static Stream<Path> invalidExamples() {
    return ExpectedFailures.refusedAtAdmission();
  }

  @ParameterizedTest
  @MethodSource("validExamples")
  void acceptedAsWritten(Path manifest) {
    Kubectl.Result created = kubectl.run("create", "-f", manifest.toString());
    assertThat(created.exitCode()).as("%s was refused: %s", manifest, created.stderr()).isZero();
  }

  @ParameterizedTest
  @MethodSource("invalidExamples")
  void refusedWithTheExpectedError(Path manifest) {
    List<String> expected = ExpectedFailures.expectations(manifest);
    assertThat(expected).as("%s names no '# expect:' error", manifest).isNotEmpty();

    String before = kubectl.run("get", "hf,hfp,hfa", "-o", "name").assertOk().stdout();

    Kubectl.Result created = kubectl.run("create", "-f", manifest.toString());

    assertThat(created.exitCode()).as("%s was accepted", manifest).isNotZero();
    expected.forEach(e -> assertThat(created.stderr()).contains(e));
    assertThat(kubectl.run("get", "hf,hfp,hfa", "-o", "name").assertOk().stdout())
        .as("a refused manifest must change nothing").isEqualTo(before);
  }

  private static Stream<Path> yamlIn(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }
}
