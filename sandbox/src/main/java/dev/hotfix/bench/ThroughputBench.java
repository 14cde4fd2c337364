package dev.hotfix.bench;

import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.sandbox.SandboxOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Throughput: N Hotfixes of a good image created at once over N rolled-out Deployments, on a
 * fresh sandbox and a fresh operator process: the time until all are terminal, the operator's
 * API requests per Hotfix and its 409s, counted at the sandbox's API front by User-Agent.
 */
final class ThroughputBench {
  static final String SECTION = "throughput";
  /** Each Hotfix bakes briefly: throughput is about the operator's work, not the wait. */
  private static final int BAKE_SECONDS = 1;

  private final SandboxOptions sandboxOptions;
  private final Path workDir;
  private final List<String> operatorJvmArgs;
  private final PrintStream out;

  ThroughputBench(SandboxOptions sandboxOptions, Path workDir, List<String> operatorJvmArgs, PrintStream out) {
    this.sandboxOptions = sandboxOptions.withPrometheus(false);
    this.workDir = workDir;
    this.operatorJvmArgs = operatorJvmArgs;
    this.out = out;
  }

  void run(int n, Report report) throws Exception {
    String scenario = "N=" + n;
    try (BenchBed bed = new BenchBed(sandboxOptions, workDir, "throughput-" + n, false)) {
      Fleet fleet = new Fleet(bed, out);
      out.printf("  %s: creating %d Deployments%n", scenario, n);
      fleet.deployments(0, n);
      try (OperatorProcess operator = OperatorProcess.start(bed, operatorJvmArgs,
          workDir.resolve("operator-throughput-" + n + ".log"))) {
        long requestsBefore = bed.sandbox.apiRequests().total(OperatorProcess.USER_AGENT);
        long conflictsBefore = bed.sandbox.apiRequests().withCode(OperatorProcess.USER_AGENT, 409);
        Duration cpuBefore = operator.cpuTime();
        long allBefore = bed.sandbox.apiRequests().total("");
        double reconcilesBefore = operator.reconciliations();
        out.printf("  %s: creating %d Hotfixes at once%n", scenario, n);
        long started = System.nanoTime();
        fleet.hotfixes(0, n, BAKE_SECONDS);
        String unfinished = "";
        try {
          fleet.awaitHotfixes("terminal", Phase::isTerminal, n);
        } catch (IllegalStateException timedOut) {
          // the figures so far still say what the operator cost; the note says what is missing
          unfinished = "; NOT ALL TERMINAL: " + timedOut.getMessage();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long requests = bed.sandbox.apiRequests().total(OperatorProcess.USER_AGENT) - requestsBefore;
        long conflicts = bed.sandbox.apiRequests().withCode(OperatorProcess.USER_AGENT, 409) - conflictsBefore;
        double cpuMillis = operator.cpuTime().minus(cpuBefore).toMillis();
        long all = bed.sandbox.apiRequests().total("") - allBefore;
        double reconciles = operator.reconciliations() - reconcilesBefore;
        String outcomes = outcomes(bed) + unfinished;
        out.printf("  %s: done in %.1f s (%s), %.1f API requests per Hotfix, %d conflicts%n", scenario, seconds,
            outcomes, (double) requests / n, conflicts);
        report.add(Figure.single(SECTION, scenario, Figure.OPERATOR, "all terminal", "s", seconds, outcomes));
        report.add(Figure.single(SECTION, scenario, Figure.OPERATOR, "API requests per Hotfix", "requests",
            (double) requests / n, requests + " of the " + all + " the API server answered (simulated cluster "
                + "included), bake " + BAKE_SECONDS + " s"));
        report.add(Figure.single(SECTION, scenario, Figure.OPERATOR, "409 conflicts", "responses", conflicts, ""));
        report.add(Figure.single(SECTION, scenario, Figure.OPERATOR, "reconciles per Hotfix", "reconciles",
            reconciles / n, "operator_sdk_reconciliations_started_total"));
        report.add(Figure.single(SECTION, scenario, Figure.OPERATOR, "operator CPU per Hotfix", "ms", cpuMillis / n,
            "user + system time of the operator process; steadier than wall time on a shared machine"));
      }
    }
  }

  private static String outcomes(BenchBed bed) {
    Map<String, Long> byPhase = new TreeMap<>();
    for (Phase p : Phase.values()) {
      long count = bed.watch.countHotfixes(p::equals);
      if (count > 0) {
        byPhase.put(p.name(), count);
      }
    }
    return byPhase.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
        .collect(java.util.stream.Collectors.joining(", "));
  }
}
