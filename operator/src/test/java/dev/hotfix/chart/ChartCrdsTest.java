package dev.hotfix.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The chart installs exactly the repository's CRDs: same files, byte for byte. */
class ChartCrdsTest {
  private static final Path REPOSITORY_CRDS = Path.of("crds");
  private static final Path CHART_CRDS = RenderedChart.CHART.resolve("crds");

  @Test
  void chartCrdsEqualTheRepositorysByteForByte() throws IOException {
    List<String> repository = fileNames(REPOSITORY_CRDS);
    assertThat(repository).isNotEmpty();
    assertThat(fileNames(CHART_CRDS)).as("helm/hotfix-operator/crds holds the same files as crds/")
        .containsExactlyElementsOf(repository);
    for (String file : repository) {
      assertThat(Files.mismatch(REPOSITORY_CRDS.resolve(file), CHART_CRDS.resolve(file)))
          .as("helm/hotfix-operator/crds/%s differs from crds/%s: copy it (cp crds/*.yml helm/hotfix-operator/crds/)",
              file, file)
          .isEqualTo(-1L);
    }
  }

  private static List<String> fileNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
