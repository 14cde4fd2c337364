package dev.hotfix.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

/**
 * One fixture of the conformance suite: the cases of an upstream Kubernetes test table,
 * transcribed as data (JSON, or YAML where upstream's cases are YAML) into
 * {@code src/test/resources/conformance/}, with the upstream file and
 * commit they came from. A case the sandbox cannot reproduce yet carries {@code knownDifference}
 * (also listed in docs/sandbox.md); it is reported as skipped with that reason, never dropped.
 */
public final class UpstreamFixture {

  /** The fixtures of the suite; {@link UpstreamFixturesTest} checks each names its source. */
  public static final List<String> ALL = List.of(
      "deployment_util_test.json", "rolling_test.json", "sync_test.json", "progress_test.json", "recreate_test.json",
      "rollout_status_test.json", "strategicpatch_test.yaml");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new YAMLMapper();
  private final String resource;
  private final JsonNode root;

  private UpstreamFixture(String resource, JsonNode root) {
    this.resource = resource;
    this.root = root;
  }

  public static UpstreamFixture load(String name) {
    String resource = "/conformance/" + name;
    try (InputStream in = UpstreamFixture.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + resource);
      }
      return new UpstreamFixture(resource, (name.endsWith(".yaml") ? YAML : JSON).readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code repository}, {@code path} and {@code commit} of the upstream test file. */
  public JsonNode upstream() {
    return root.path("upstream");
  }

  public JsonNode tables() {
    return root.path("tables");
  }

  /** The cases of one table as named arguments (the case's name, or its index, and the source). */
  public Stream<Arguments> cases(String table) {
    JsonNode rows = root.path("tables").path(table);
    if (!rows.isArray() || rows.isEmpty()) {
      throw new IllegalArgumentException(resource + " has no table " + table);
    }
    List<Arguments> cases = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      JsonNode row = rows.get(i);
      JsonNode title = row.hasNonNull("name") ? row.get("name") : row.get("description");
      String name = table + " #" + i + (title == null ? "" : " " + title.asText());
      cases.add(Arguments.of(Named.of(name, row)));
    }
    return cases.stream();
  }

  /** Skips (visibly) a case marked as a known difference of the sandbox. */
  public static void skipIfKnownDifference(JsonNode row) {
    Assumptions.assumeFalse(row.hasNonNull("knownDifference"),
        () -> "known difference (docs/sandbox.md): " + row.path("knownDifference").asText());
  }

  /** An int-or-percent field: a JSON number or string; null when absent or null. */
  public static IntOrString intOrString(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    return node.isNumber() ? new IntOrString(node.asInt()) : new IntOrString(node.asText());
  }

  /** An optional integer field: null when absent or null. */
  public static Integer integer(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode() ? null : node.asInt();
  }
}
