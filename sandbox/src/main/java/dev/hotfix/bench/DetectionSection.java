package dev.hotfix.bench;

import dev.hotfix.sandbox.SandboxOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Detection to rollback, ours beside the baseline on one sandbox (with Prometheus): the operator
 * process on a pod fault, on metric faults checked every 1, 2 and 5 s and on the metric fault
 * with a canary of one pod, then the kubectl script on the same pod fault and metric fault, then
 * the ratios of the medians. Each of ours also counts the pods exposed to the bad image.
 */
final class DetectionSection {
  private static final List<Integer> CHECK_INTERVALS = List.of(1, 2, 5);
  /** The check interval of the canary scenario, and of the exposure part's pair. */
  private static final int EXPOSURE_INTERVAL = 1;

  private final SandboxOptions sandboxOptions;
  private final Path workDir;
  private final List<String> operatorJvmArgs;
  private final PrintStream out;

  DetectionSection(SandboxOptions sandboxOptions, Path workDir, List<String> operatorJvmArgs, PrintStream out) {
    this.sandboxOptions = sandboxOptions;
    this.workDir = workDir;
    this.operatorJvmArgs = operatorJvmArgs;
    this.out = out;
  }

  void run(boolean ours, int trials, int parallel, Duration baselineTimeout, int baselineParallel, Report report)
      throws Exception {
    try (BenchBed bed = new BenchBed(sandboxOptions, workDir, "detection", true)) {
      DetectionBench bench = new DetectionBench(bed, out);
      boolean metrics = bed.sandbox.prometheusUrl().isPresent();
      if (!metrics) {
        out.println("  no Prometheus (install the prometheus binary): metric faults are skipped");
      }
      if (ours) {
        List<FaultScenario> faults = new ArrayList<>(List.of(FaultScenario.podFault()));
        if (metrics) {
          CHECK_INTERVALS.forEach(i -> faults.add(FaultScenario.metricFault(i)));
          faults.add(FaultScenario.metricFaultOnCanary(EXPOSURE_INTERVAL));
        }
        runOurs(bed, bench, "detection", faults, trials, parallel, report);
      }
      if (KubectlScript.binary().isEmpty()) {
        out.println("  kubectl not on PATH: the baseline is skipped (install the kubernetes-client package)");
        return;
      }
      Responder script = new KubectlScript(bed.kubeconfig, baselineTimeout);
      bench.run(script, FaultScenario.podFault(), trials, baselineParallel, report);
      if (metrics) {
        bench.run(script, FaultScenario.metricFaultUnchecked(), trials, baselineParallel, report);
      }
      if (ours) {
        addRatios(report);
      }
    }
  }

  /**
   * Pods exposed before rollback: ours only, on the metric fault checked every second, without
   * and with a canary of one pod (the {@code bench exposure} part).
   */
  void runExposure(int trials, int parallel, Report report) throws Exception {
    try (BenchBed bed = new BenchBed(sandboxOptions, workDir, "exposure", true)) {
      if (bed.sandbox.prometheusUrl().isEmpty()) {
        out.println("  no Prometheus (install the prometheus binary): the metric fault cannot be checked; skipped");
        return;
      }
      runOurs(bed, new DetectionBench(bed, out), "exposure", List.of(FaultScenario.metricFault(EXPOSURE_INTERVAL),
          FaultScenario.metricFaultOnCanary(EXPOSURE_INTERVAL)), trials, parallel, report);
    }
  }

  private void runOurs(BenchBed bed, DetectionBench bench, String part, List<FaultScenario> faults, int trials,
      int parallel, Report report) throws Exception {
    try (OperatorProcess operator = OperatorProcess.start(bed, operatorJvmArgs,
        workDir.resolve("operator-" + part + ".log"))) {
      Responder hotfix = new HotfixResponder(bed.client, bed.watch);
      for (FaultScenario fault : faults) {
        bench.run(hotfix, fault, trials, parallel, report);
      }
    }
  }

  /** Ours over the baseline's, median to median, for each scenario and measure both have. */
  private static void addRatios(Report report) {
    List<Figure> figures = report.figures();
    for (Figure f : figures) {
      if (!f.section().equals(DetectionBench.SECTION) || !f.subject().equals(Figure.OPERATOR)) {
        continue;
      }
      String baselineScenario = f.scenario().startsWith("metric") ? FaultScenario.metricFaultUnchecked().name()
          : f.scenario();
      Optional<Figure> base = figures.stream().filter(b -> b.section().equals(f.section())
          && b.subject().equals(Figure.BASELINE) && b.scenario().equals(baselineScenario)
          && b.measure().equals(f.measure())).findFirst();
      if (base.isEmpty()) {
        continue;
      }
      Figure b = base.get();
      if (f.value() == null || b.value() == null) {
        report.add(new Figure(f.section(), f.scenario(), "ours / baseline", f.measure(), "x", 0, 0, null, null, null,
            b.value() == null ? "baseline never rolled back: " + b.trials() + "/" + b.of() + " trials" : ""));
      } else {
        report.add(new Figure(f.section(), f.scenario(), "ours / baseline", f.measure(), "x", 1, 1,
            f.value() / b.value(), null, null, "median " + Math.round(f.value()) + " ms / " + Math.round(b.value())
                + " ms: " + Math.round(b.value() / f.value()) + " times sooner"));
      }
    }
  }
}
