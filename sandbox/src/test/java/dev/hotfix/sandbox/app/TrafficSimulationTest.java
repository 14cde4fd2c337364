package dev.hotfix.sandbox.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The traffic model on its own: no API server, no HTTP, time advanced by hand. */
class TrafficSimulationTest {

  private static final long SEED = 42;

  @Test
  void sameSeedAndPodsTellTheSameStory() {
    TrafficSimulation first = new TrafficSimulation(100, SEED);
    TrafficSimulation second = new TrafficSimulation(100, SEED);
    for (TrafficSimulation simulation : new TrafficSimulation[] {first, second}) {
      simulation.observe(readyPod("a", "uid-a", "web:1-errors"));
      simulation.observe(readyPod("b", "uid-b", "web:1-slow"));
      simulation.advance(Duration.ofSeconds(7));
    }
    assertThat(first.exposition()).isEqualTo(second.exposition());
    assertThat(first.exposition())
        .isNotEqualTo(withSeed(SEED + 1, "a", "web:1-errors").exposition());
  }

  @Test
  void healthyPodsFailExactlyOneRequestInAThousand() {
    TrafficSimulation simulation = new TrafficSimulation(1_000, SEED);
    simulation.observe(readyPod("a", "uid-a", "web:1"));
    simulation.advance(Duration.ofSeconds(3));

    ScrapedMetrics metrics = ScrapedMetrics.parse(simulation.exposition());
    assertThat(metrics.sum(TrafficSimulation.REQUESTS, Map.of("pod", "a"))).isEqualTo(3_000);
    assertThat(metrics.sum(TrafficSimulation.REQUESTS, Map.of("code", "500"))).isEqualTo(3);
  }

  @Test
  void fractionalRequestsCarryOverBetweenTicks() {
    TrafficSimulation simulation = new TrafficSimulation(20, SEED);
    simulation.observe(readyPod("a", "uid-a", "web:1"));
    for (int tick = 0; tick < 100; tick++) {
      simulation.advance(Duration.ofMillis(10)); // 0.2 requests each
    }
    ScrapedMetrics metrics = ScrapedMetrics.parse(simulation.exposition());
    assertThat(metrics.sum(TrafficSimulation.REQUESTS, Map.of())).isEqualTo(20);
  }

  @Test
  void aPodRecreatedUnderTheSameNameStartsFromZeroAndSurvivesTheOldOnesDeletion() {
    TrafficSimulation simulation = new TrafficSimulation(100, SEED);
    Pod old = readyPod("a", "uid-old", "web:1");
    simulation.observe(old);
    simulation.advance(Duration.ofSeconds(1));

    Pod replacement = readyPod("a", "uid-new", "web:1");
    simulation.observe(replacement);
    simulation.forget(old); // a late delete of the old pod must not drop the new one
    simulation.advance(Duration.ofMillis(500));

    assertThat(simulation.servedPods()).isEqualTo(1);
    ScrapedMetrics metrics = ScrapedMetrics.parse(simulation.exposition());
    assertThat(metrics.sum(TrafficSimulation.REQUESTS, Map.of("pod", "a"))).isEqualTo(50);

    simulation.forget(replacement);
    assertThat(simulation.servedPods()).isZero();
  }

  @Test
  void aTerminatingPodIsNoLongerServed() {
    TrafficSimulation simulation = new TrafficSimulation(100, SEED);
    Pod pod = readyPod("a", "uid-a", "web:1");
    simulation.observe(pod);
    pod.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
    simulation.observe(pod);
    assertThat(simulation.servedPods()).isZero();
  }

  private static TrafficSimulation withSeed(long seed, String name, String image) {
    TrafficSimulation simulation = new TrafficSimulation(100, seed);
    simulation.observe(readyPod(name, "uid-" + name, image));
    simulation.advance(Duration.ofSeconds(7));
    return simulation;
  }

  private static Pod readyPod(String name, String uid, String image) {
    return PodFixtures.readyPod("shop", name, uid, image);
  }
}
