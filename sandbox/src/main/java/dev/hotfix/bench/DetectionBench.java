package dev.hotfix.bench;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.rollout.PodTemplates;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Detection to rollback: trials of one {@link FaultScenario} for one {@link Responder}, each on
 * a fresh 3-replica Deployment (created, rolled out, faulted, restored, deleted), up to
 * {@code parallel} at a time. Each trial yields two latencies from the moment the fault became
 * observable: to the rollback patch (the template back on the good image) and to the
 * Deployment fully restored (that rollout complete).
 */
final class DetectionBench {
  static final String SECTION = "detection";
  static final String TO_PATCH = "fault -> rollback patch";
  static final String TO_RESTORED = "fault -> restored";
  static final String EXPOSED = "pods exposed before rollback";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration RESTORE_TIMEOUT = Duration.ofSeconds(60);
  private static final AtomicInteger SEQ = new AtomicInteger();

  /**
   * One trial's outcome; latencies are empty when the fault was not rolled back (or never
   * observed); {@code exposedPods} is how many pods ever ran the bad image (canary or not).
   */
  record Trial(Optional<Double> toPatch, Optional<Double> toRestored, int exposedPods, String ending) {
  }

  private final BenchBed bed;
  private final Optional<PrometheusSamples> prometheus;
  private final PrintStream out;

  DetectionBench(BenchBed bed, PrintStream out) {
    this.bed = bed;
    this.prometheus = bed.sandbox.prometheusUrl().map(PrometheusSamples::new);
    this.out = out;
  }

  /** Runs {@code trials} trials, {@code parallel} at a time, printing each as it ends; adds two figures. */
  List<Trial> run(Responder responder, FaultScenario fault, int trials, int parallel, Report report)
      throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(parallel);
    List<Trial> done = new ArrayList<>();
    try {
      List<Future<Trial>> running = new ArrayList<>();
      AtomicInteger finished = new AtomicInteger();
      for (int i = 0; i < trials; i++) {
        running.add(pool.submit(() -> {
          Trial t = trial(responder, fault);
          out.printf("  %-28s %-16s trial %3d/%d: %s%n", fault.name(), responder.subject(), finished.incrementAndGet(),
              trials, describe(t));
          return t;
        }));
      }
      for (Future<Trial> f : running) {
        try {
          done.add(f.get());
        } catch (java.util.concurrent.ExecutionException e) {
          out.println("  trial failed: " + e.getCause());
          done.add(new Trial(Optional.empty(), Optional.empty(), 0, "failed: " + e.getCause().getMessage()));
        }
      }
    } finally {
      pool.shutdownNow();
    }
    String note = notDetectedNote(done);
    report.add(Figure.latency(SECTION, fault.name(), responder.subject(), TO_PATCH,
        Summary.of(done.stream().flatMap(t -> t.toPatch().stream()).toList()), trials, note));
    report.add(Figure.latency(SECTION, fault.name(), responder.subject(), TO_RESTORED,
        Summary.of(done.stream().flatMap(t -> t.toRestored().stream()).toList()), trials, note));
    if (responder.subject().equals(Figure.OPERATOR)) {
      // of the trials rolled back: the kubectl script never rolls a metric fault back, so it exposes every pod
      report.add(Figure.over(SECTION, fault.name(), responder.subject(), EXPOSED, "pods",
          Summary.of(done.stream().filter(t -> t.toPatch().isPresent()).map(t -> (double) t.exposedPods()).toList()),
          trials, note));
    }
    return done;
  }

  private Trial trial(Responder responder, FaultScenario fault) throws Exception {
    String name = "d" + SEQ.incrementAndGet();
    bed.client.resource(Workloads.deployment(name, 3)).create();
    try {
      Waits.require(READY_TIMEOUT, "Deployment " + name + " rolled out", () -> bed.watch.rolledOut(name));
      FaultMoments m = bed.watch.track(name, fault.badImage());
      String ending = responder.respond(name, fault);
      if (m.patchedBack == null && !stillFaulty(name, fault)) {
        // rolled back, but the watch event may trail the responder's own answer
        Waits.until(RESTORE_TIMEOUT, () -> m.patchedBack != null);
      }
      if (m.patchedBack != null) {
        Waits.until(RESTORE_TIMEOUT, () -> m.restored != null);
      }
      Instant observable = fault.isMetric() ? metricFaultObservable(name, m) : m.firstCrash;
      if (observable == null) {
        return new Trial(Optional.empty(), Optional.empty(), m.badPods.size(), ending + "; fault never observed");
      }
      if (fault.canaryPods() > 0 && m.badPods.size() > fault.canaryPods()) {
        ending += "; more pods than the canary's: " + String.join(", ", m.badPodsSeen);
      }
      return new Trial(FaultMoments.millis(observable, m.patchedBack), FaultMoments.millis(observable, m.restored),
          m.badPods.size(), ending);
    } finally {
      bed.watch.untrack(name);
      bed.client.resources(Hotfix.class).inNamespace(Workloads.NAMESPACE).withName(HotfixResponder.hotfixOf(name))
          .delete();
      bed.client.apps().deployments().inNamespace(Workloads.NAMESPACE).withName(name).delete();
    }
  }

  /** Whether the Deployment, as the API server has it now, still runs the bad image. */
  private boolean stillFaulty(String deployment, FaultScenario fault) {
    Deployment d = bed.client.apps().deployments().inNamespace(Workloads.NAMESPACE).withName(deployment).get();
    return d != null && PodTemplates.images(d.getSpec().getTemplate()).containsValue(fault.badImage());
  }

  private Instant metricFaultObservable(String deployment, FaultMoments m) throws Exception {
    if (prometheus.isEmpty()) {
      return null;
    }
    return prometheus.get().firstErrors(deployment, m.badPods).orElse(null);
  }

  private static String describe(Trial t) {
    return t.toPatch().map(ms -> String.format("patch %6.0f ms, restored %s", ms,
            t.toRestored().map(r -> String.format("%6.0f ms", r)).orElse("never")))
        .orElse("not rolled back") + ", " + t.exposedPods() + " pod(s) exposed  (" + t.ending() + ")";
  }

  private static String notDetectedNote(List<Trial> trials) {
    long missed = trials.stream().filter(t -> t.toPatch().isEmpty()).count();
    if (missed == 0) {
      return "";
    }
    String example = trials.stream().filter(t -> t.toPatch().isEmpty()).map(Trial::ending).findFirst().orElse("");
    return missed + " not rolled back (" + example + ")";
  }
}
