package dev.hotfix.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.operator.OperatorOptions;
import dev.hotfix.operator.ReconcileTuning;
import dev.hotfix.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.Event;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 5: a Hotfix whose Deployment patch keeps failing retries again and again, and
 * says so each time; like client-go's recorder, the repeats are one Event whose count grows, not
 * one Event per retry. Seen failing with the former recorder, which created an Event per retry.
 */
class RetryEventsTest {
  private static final String FIXED = "registry.example.com/web:1.1-hotfix.1";
  private static final String RETRIES_EXHAUSTED = "RetriesExhausted";
  private static ReliabilityBed bed;

  @BeforeAll
  static void start() {
    bed = new ReliabilityBed(SandboxOptions.defaults().withPrometheus(false).withPodStartDelay(Duration.ofMillis(300)));
    // every failed reconcile is the last of its budget, and the next comes a moment later
    bed.startOperator(OperatorOptions.defaults(), ReconcileTuning.defaults()
        .withRetry(new GenericRetry().setMaxAttempts(1).setInitialInterval(50), Duration.ofMillis(100)));
  }

  @AfterAll
  static void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void twentyRetriesAgainstAFailingEndpointAreOneEventCountedTwentyTimes() {
    String web = bed.deploymentReady(3, d -> { });
    bed.faults().fail(r -> r.method().equals("PATCH") && r.path().endsWith("/deployments/" + web), 503, 100_000);
    String name = bed.create(bed.hotfix(web, FIXED, s -> { }));

    await().atMost(Duration.ofSeconds(60)).until(() -> retriesNoted(name) >= 20);
    bed.faults().clear();
    bed.awaitTerminal(name);

    int retries = retriesNoted(name);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(warnings(name)).singleElement()
        .satisfies(e -> {
          assertThat(e.getCount()).as("one count per retry noted in the timeline").isEqualTo(retries);
          assertThat(e.getMessage()).contains("the Kubernetes API answered HTTP 503: injected fault");
          assertThat(e.getLastTimestamp()).isGreaterThanOrEqualTo(e.getFirstTimestamp());
        }));
    assertThat(retries).isGreaterThanOrEqualTo(20);
  }

  /** The retries the Hotfix's timeline records (each also recorded as a Warning Event). */
  private static int retriesNoted(String hotfix) {
    Hotfix h = bed.get(hotfix);
    return h.getStatus() == null || h.getStatus().timeline == null ? 0 : (int) h.getStatus().timeline.stream()
        .filter(t -> t.message != null && t.message.startsWith("could not finish a step")).count();
  }

  private static List<Event> warnings(String hotfix) {
    return bed.client.v1().events().inNamespace(ReliabilityBed.NS).list().getItems().stream()
        .filter(e -> hotfix.equals(e.getInvolvedObject().getName()) && RETRIES_EXHAUSTED.equals(e.getReason()))
        .toList();
  }
}
