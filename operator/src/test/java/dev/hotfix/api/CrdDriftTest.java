package dev.hotfix.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The API model is the only source of the schema: the CRDs the build generates from it must be
 * exactly the ones committed under crds/ and in the Helm chart. To refresh after changing the
 * model: {@code mvn -q package -DskipTests && cp api/target/classes/META-INF/fabric8/*.yml crds/ &&
 * cp crds/*.yml helm/hotfix-operator/crds/}.
 */
class CrdDriftTest {
  private static final Path GENERATED = Path.of("api/target/classes/META-INF/fabric8");

  static Stream<String> generatedCrds() throws IOException {
    try (Stream<Path> files = Files.list(GENERATED)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("-v1.yml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("generatedCrds")
  void committedCrdMatchesGenerated(String file) throws IOException {
    String generated = Files.readString(GENERATED.resolve(file));
    assertThat(Path.of("crds", file)).as("crds/%s is missing or stale: regenerate it (see CrdDriftTest)", file)
        .exists().hasContent(generated);
    assertThat(Path.of("helm/hotfix-operator/crds", file))
        .as("helm/hotfix-operator/crds/%s is missing or stale: copy it from crds/", file)
        .exists().hasContent(generated);
  }

  @ParameterizedTest
  @MethodSource("committedCopies")
  void noCommittedCrdWithoutAGeneratedOne(Path committed) {
    assertThat(GENERATED.resolve(committed.getFileName())).as("%s has no generated counterpart: remove it", committed)
        .exists();
  }

  static Stream<Path> committedCopies() throws IOException {
    try (Stream<Path> a = Files.list(Path.of("crds")); Stream<Path> b = Files.list(Path.of("helm/hotfix-operator/crds"))) {
      return Stream.concat(a.toList().stream(), b.toList().stream());
    }
  }
}
