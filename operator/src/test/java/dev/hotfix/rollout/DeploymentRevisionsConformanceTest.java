package dev.hotfix.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotfix.conformance.UpstreamFixture;
import dev.hotfix.conformance.UpstreamObjects;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The operator's own reading of a Deployment's ReplicaSets against upstream's
 * deployment_util_test.go tables (transcribed in {@code conformance/deployment_util_test.json}):
 * which ReplicaSet holds the current template is the one the Deployment controller scales, so the
 * operator judges and records the revision the cluster actually rolls out.
 *
 * <p>Seen failing: with {@link DeploymentRevisions#current()} picking the highest revision (its
 * former rule), "Get the oldest new ReplicaSet when there are more than one ReplicaSet with the
 * same template" failed: it named newRS where upstream's controller takes newRSDup.
 */
class DeploymentRevisionsConformanceTest {

  private static final UpstreamFixture UTIL = UpstreamFixture.load("deployment_util_test.json");

  static Stream<Arguments> equalIgnoreHash() {
    return UTIL.cases("TestEqualIgnoreHash");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void equalIgnoreHash(JsonNode c) {
    UpstreamFixture.skipIfKnownDifference(c);
    PodTemplateSpec former = UpstreamObjects.template(c.get("former"));
    PodTemplateSpec latter = UpstreamObjects.template(c.get("latter"));
    PodTemplateSpec formerBefore = new PodTemplateSpecBuilder(former).build();
    PodTemplateSpec latterBefore = new PodTemplateSpecBuilder(latter).build();
    boolean expected = c.get("expected").asBoolean();

    assertThat(PodTemplates.equalIgnoringHash(former, latter)).as("former, latter").isEqualTo(expected);
    assertThat(PodTemplates.equalIgnoringHash(latter, former)).as("reverse order").isEqualTo(expected);
    // upstream also checks the comparison leaves both templates' labels as they were
    assertThat(former).isEqualTo(formerBefore);
    assertThat(latter).isEqualTo(latterBefore);
  }

  static Stream<Arguments> findNewReplicaSet() {
    return UTIL.cases("TestFindNewReplicaSet");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void findNewReplicaSet(JsonNode c) {
    UpstreamFixture.skipIfKnownDifference(c);
    Deployment d = UpstreamObjects.nginxDeployment();
    List<ReplicaSet> replicaSets = new ArrayList<>();
    c.get("replicaSets").forEach(row -> replicaSets.add(UpstreamObjects.nginxReplicaSet(row, d)));

    String current = new DeploymentRevisions(d, replicaSets).current().map(rs -> rs.getMetadata().getName()).orElse(null);

    assertThat(current).isEqualTo(c.get("expected").isNull() ? null : c.get("expected").asText());
  }
}
