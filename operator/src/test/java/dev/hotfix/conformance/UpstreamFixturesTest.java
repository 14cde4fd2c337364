package dev.hotfix.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Every conformance fixture says where its cases came from: upstream file and commit. */
class UpstreamFixturesTest {

  @ParameterizedTest(name = "{0}")
  @FieldSource("dev.hotfix.conformance.UpstreamFixture#ALL")
  void namesItsUpstreamFileAndCommit(String name) {
    UpstreamFixture fixture = UpstreamFixture.load(name);
    JsonNode upstream = fixture.upstream();

    assertThat(upstream.path("repository").asText()).isEqualTo("kubernetes/kubernetes");
    assertThat(upstream.path("path").asText()).endsWith("_test.go");
    assertThat(upstream.path("commit").asText()).matches("[0-9a-f]{40}");
    assertThat(fixture.tables().size()).isPositive();
    fixture.tables().forEach(table -> assertThat(table.isArray() && !table.isEmpty()).isTrue());
  }
}
