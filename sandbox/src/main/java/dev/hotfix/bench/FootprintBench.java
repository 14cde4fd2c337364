package dev.hotfix.bench;

import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.sandbox.SandboxOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Footprint: the operator process's start-up to ready, then its heap after a full GC and its
 * RSS with 0 active Hotfixes and with each of the given counts active (rolling out or verifying,
 * with a bake long enough to stay so while measured), each count reached by adding Deployments
 * and their Hotfixes to the previous one.
 */
final class FootprintBench {
  static final String SECTION = "footprint";
  private static final int BAKE_SECONDS = 3600;
  private static final double MIB = 1024 * 1024;

  private final SandboxOptions sandboxOptions;
  private final Path workDir;
  private final List<String> operatorJvmArgs;
  private final PrintStream out;

  FootprintBench(SandboxOptions sandboxOptions, Path workDir, List<String> operatorJvmArgs, PrintStream out) {
    this.sandboxOptions = sandboxOptions.withPrometheus(false);
    this.workDir = workDir;
    this.operatorJvmArgs = operatorJvmArgs;
    this.out = out;
  }

  void run(List<Integer> activeCounts, Report report) throws Exception {
    try (BenchBed bed = new BenchBed(sandboxOptions, workDir, "footprint", false);
        OperatorProcess operator = OperatorProcess.start(bed, operatorJvmArgs,
            workDir.resolve("operator-footprint.log"))) {
      double startup = operator.startupToReady().toMillis() / 1000.0;
      out.printf("  start-up to ready: %.2f s%n", startup);
      report.add(Figure.single(SECTION, "start", Figure.OPERATOR, "start-up to /readyz", "s", startup,
          "JVM start to informers synced"));
      measure(operator, 0, report);
      Fleet fleet = new Fleet(bed, out);
      int active = 0;
      for (int target : activeCounts) {
        out.printf("  adding %d Deployments and Hotfixes%n", target - active);
        fleet.deployments(active, target);
        fleet.hotfixes(active, target, BAKE_SECONDS);
        fleet.awaitHotfixes("active", FootprintBench::active, target);
        active = target;
        measure(operator, active, report);
      }
    }
  }

  /** In flight: the operator holds the Deployment and watches its rollout or bake. */
  private static boolean active(Phase p) {
    return p.isActing();
  }

  private void measure(OperatorProcess operator, int active, Report report) {
    String scenario = active + " active";
    OptionalLong heap = operator.heapAfterGc();
    OptionalLong rss = operator.rss();
    out.printf("  %s: heap after GC %s, RSS %s%n", scenario, mib(heap), mib(rss));
    if (heap.isPresent()) {
      report.add(Figure.single(SECTION, scenario, Figure.OPERATOR, "heap after GC", "MiB", heap.getAsLong() / MIB,
          "jcmd GC.run, GC.heap_info"));
    }
    if (rss.isPresent()) {
      report.add(Figure.single(SECTION, scenario, Figure.OPERATOR, "RSS", "MiB", rss.getAsLong() / MIB,
          "/proc/PID/status VmRSS"));
    }
  }

  private static String mib(OptionalLong bytes) {
    return bytes.isPresent() ? String.format("%.1f MiB", bytes.getAsLong() / MIB) : "n/a";
  }
}
