package dev.hotfix.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SimpleJsonPathTest {
  private static final String OBJECT = "{'spec':{'target':{'name':'web'},"
      + "'containers':[{'image':'a:1'},{'image':'b:2'}]},"
      + "'metadata':{'labels':{'app.kubernetes.io/name':'shop'}}}";

  @ParameterizedTest
  @CsvSource(nullValues = "-", value = {".spec.target.name, web", "'.spec.containers[0].image', a:1",
      "'.spec.containers[1].image', b:2", "'{.spec.target.name}', web",
      "'.metadata.labels[''app.kubernetes.io/name'']', shop",
      ".status.phase, -", "'.spec.containers[5].image', -"})
  void evaluatesPrinterColumnPaths(String path, String expected) throws Exception {
    JsonNode object = CrudStore.JSON.readTree(OBJECT.replace('\'', '"'));

    JsonNode value = SimpleJsonPath.evaluate(object, path);

    assertThat(value.isMissingNode() ? null : value.asText()).isEqualTo(expected);
  }
}
