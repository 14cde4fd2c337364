package dev.hotfix.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.operator.OperatorOptions;
import dev.hotfix.operator.ReconcileTuning;
import dev.hotfix.sandbox.SandboxOptions;
import dev.hotfix.sandbox.prometheus.PrometheusServer;
import dev.hotfix.testing.ExpectedFailures;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 7, item 5, the operator's half: the expected failures the API server admits (they are
 * well-formed) but the operator must refuse: each ends {@code Rejected} with the message its
 * {@code # expect: Rejected:} line names, and the Deployment of examples/checkout-deployment.yaml
 * is left exactly as it was. The admission half is ExampleAdmissionTest and ExampleManifestsTest.
 */
class ExpectedRejectionsTest {
  private static ReliabilityBed bed;
  private static String untouched;

  @BeforeAll
  static void start() throws IOException {
    bed = new ReliabilityBed(SandboxOptions.defaults());
    bed.startOperator(OperatorOptions.defaults().withPrometheusUrl(Optional.of(bed.sandbox.prometheusUrl()
        .orElseThrow(() -> new IllegalStateException("this test needs Prometheus: " + PrometheusServer.NOT_FOUND)))),
        ReconcileTuning.defaults());
    try (InputStream yaml = Files.newInputStream(Path.of("examples/checkout-deployment.yaml"))) {
      bed.client.apps().deployments().inNamespace(ReliabilityBed.NS).load(yaml).create();
    }
    bed.awaitAvailable("checkout", 3);
    untouched = bed.deployment("checkout").getMetadata().getResourceVersion();
  }

  @AfterAll
  static void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  static Stream<Path> rejected() {
    return ExpectedFailures.rejectedByOperator();
  }

  @ParameterizedTest
  @MethodSource("rejected")
  void rejectedWithTheExpectedMessageChangingNothing(Path manifest) throws IOException {
    Hotfix h;
    try (InputStream yaml = Files.newInputStream(manifest)) {
      h = bed.client.resources(Hotfix.class).inNamespace(ReliabilityBed.NS).load(yaml).create();
    }

    Hotfix done = bed.awaitTerminal(h.getMetadata().getName());

    assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(Phase.Rejected);
    ExpectedFailures.expectations(manifest).forEach(e -> assertThat(done.getStatus().message).contains(e));
    Deployment checkout = bed.deployment("checkout");
    assertThat(checkout.getMetadata().getResourceVersion()).as("the Deployment is untouched").isEqualTo(untouched);
    assertThat(done.getMetadata().getFinalizers()).as("nothing held: deleting it never waits").isNullOrEmpty();
  }
}
