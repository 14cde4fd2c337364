package dev.hotfix.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.operator.OperatorOptions;
import dev.hotfix.operator.ReconcileTuning;
import dev.hotfix.rollout.HotfixAnnotations;
import dev.hotfix.rollout.PodTemplates;
import dev.hotfix.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, item 6: 200 Hotfixes on 200 Deployments at once, one in four with a bad image (crash
 * loop, image pull error, never ready). Every good one ends Succeeded on its new image, every bad
 * one RolledBack to the image it replaced, no Deployment keeps a bad image or a Hotfix
 * annotation, no Hotfix is left in flight or holding its finalizer, each Deployment got exactly
 * its writes, and (the bed's check) no Deployment's pod went unready while a Hotfix held it,
 * although each owner allows its one pod to go (maxUnavailable 1). Prints the wall time.
 */
@Tag("scale")
class LoadTest {
  private static final int HOTFIXES = Integer.getInteger("reliability.load.hotfixes", 200);
  private static final String FIXED = "registry.example.com/web:1.1-hotfix.1";
  private static final List<String> BAD = List.of("registry.example.com/web:1.1-crashloop",
      "registry.example.com/web:1.1-pullerr", "registry.example.com/web:1.1-unready");
  private static ReliabilityBed bed;

  @BeforeAll
  static void start() {
    bed = new ReliabilityBed(SandboxOptions.defaults().withPrometheus(false).withPodStartDelay(Duration.ofMillis(100)));
    bed.startOperator(OperatorOptions.defaults(), ReconcileTuning.defaults());
  }

  @AfterAll
  static void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void everyHotfixEndsInItsRightPhaseAndNoDeploymentKeepsABadImage() {
    List<String> deployments = new ArrayList<>();
    for (int i = 0; i < HOTFIXES; i++) {
      deployments.add(bed.createDeployment(1, d -> d.getSpec().getStrategy().getRollingUpdate()
          .setMaxUnavailable(new IntOrString(1))));
    }
    deployments.forEach(d -> bed.awaitAvailable(d, 1));
    Map<String, String> imageByHotfix = new java.util.HashMap<>();
    Map<String, String> targetByHotfix = new java.util.HashMap<>();
    List<Hotfix> hotfixes = new ArrayList<>();
    for (int i = 0; i < HOTFIXES; i++) {
      String image = i % 4 == 3 ? BAD.get(i / 4 % BAD.size()) : FIXED;
      Hotfix h = bed.hotfix(deployments.get(i), image, s -> {
        s.verification.bakeSeconds = 1;
        // only the never-ready image is meant to hit it; a good pod under 200-way load may take longer
        s.rollout.podReadyTimeoutSeconds = image.endsWith("unready") ? 5 : 60;
        s.rollout.progressDeadlineSeconds = 120;
      });
      hotfixes.add(h);
      imageByHotfix.put(h.getMetadata().getName(), image);
      targetByHotfix.put(h.getMetadata().getName(), deployments.get(i));
    }

    long started = System.nanoTime();
    hotfixes.parallelStream().forEach(bed::create);
    await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
        assertThat(inFlight()).as("Hotfixes not yet finished, or still holding their finalizer").isEmpty());
    double seconds = (System.nanoTime() - started) / 1e9;

    Map<String, Hotfix> done = bed.client.resources(Hotfix.class).inNamespace(ReliabilityBed.NS).list().getItems()
        .stream().collect(Collectors.toMap(h -> h.getMetadata().getName(), Function.identity()));
    Map<String, Deployment> targets = bed.client.apps().deployments().inNamespace(ReliabilityBed.NS).list().getItems()
        .stream().collect(Collectors.toMap(d -> d.getMetadata().getName(), Function.identity()));
    long rolledBack = 0;
    for (Map.Entry<String, String> e : imageByHotfix.entrySet()) {
      Hotfix h = done.get(e.getKey());
      boolean bad = BAD.contains(e.getValue());
      rolledBack += bad ? 1 : 0;
      assertThat(h.getStatus().phase).as("%s (%s): %s", e.getKey(), e.getValue(), h.getStatus().message)
          .isEqualTo(bad ? Phase.RolledBack : Phase.Succeeded);
      assertThat(h.getMetadata().getFinalizers()).isNullOrEmpty();
      Deployment d = targets.get(targetByHotfix.get(e.getKey()));
      assertThat(PodTemplates.images(d.getSpec().getTemplate()).get("app")).as("image of %s", d.getMetadata().getName())
          .isEqualTo(bad ? ReliabilityBed.GOOD : FIXED);
      assertThat(d.getMetadata().getAnnotations()).doesNotContainKeys(HotfixAnnotations.ACTIVE,
          HotfixAnnotations.PREVIOUS_REVISION);
      bed.assertWrites(d.getMetadata().getName(), 1, bad ? 1 : 0, 1);
    }
    System.out.printf("load: %d Hotfixes on %d Deployments (%d bad images, all rolled back) ended in %.1fs wall%n",
        HOTFIXES, HOTFIXES, rolledBack, seconds);
  }

  /** Hotfixes not terminal yet, or terminal but not finished (released and reported: status.reportDigest). */
  private static List<String> inFlight() {
    return bed.client.resources(Hotfix.class).inNamespace(ReliabilityBed.NS).list().getItems().stream()
        // the finalizer is let go in the pass after the terminal status is stored: wait for both
        .filter(h -> h.getStatus() == null || h.getStatus().phase == null || !h.getStatus().phase.isTerminal()
            || h.getStatus().reportDigest == null
            || (h.getMetadata().getFinalizers() != null && !h.getMetadata().getFinalizers().isEmpty()))
        .map(h -> h.getMetadata().getName() + " " + (h.getStatus() == null ? "new" : h.getStatus().phase)
            + " " + h.getMetadata().getFinalizers()).toList();
  }
}
