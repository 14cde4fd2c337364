package dev.hotfix.bench;

import dev.hotfix.sandbox.SandboxOptions;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bench}: measures the operator on the sandbox (detection to rollback beside the kubectl
 * script people write today, throughput, footprint), prints a table as it goes, and writes the
 * figures as JSON or CSV. docs/performance.md explains the method and reads the figures.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks the operator on an embedded sandbox: detection-to-rollback latency beside the kubectl "
        + "script (set image + rollout status || rollout undo), throughput of many Hotfixes at once, and the "
        + "operator process's footprint. Prints a table; --out writes JSON or CSV.")
public final class BenchCommand implements Callable<Integer> {

  /** What to measure. */
  enum Part {
    /** Our operator and the kubectl script, side by side, on the same faults. */
    detection,
    /** Only the kubectl script. */
    baseline,
    /** Pods exposed before rollback: ours on the metric fault, without and with a canary of one pod. */
    exposure,
    throughput,
    footprint,
    all
  }

  @Parameters(index = "0", arity = "0..1", defaultValue = "all", paramLabel = "WHAT",
      description = "detection (ours and the kubectl baseline side by side), baseline (the kubectl script only), "
          + "exposure (pods exposed before rollback of the metric fault, without and with a canary of 1 pod; also "
          + "part of detection), throughput, footprint or all (default: ${DEFAULT-VALUE}).")
  Part part;

  @Option(names = "--trials", defaultValue = "30", paramLabel = "N",
      description = "Trials per detection scenario and subject (default: ${DEFAULT-VALUE}).")
  int trials;

  @Option(names = "--parallel", defaultValue = "3", paramLabel = "P",
      description = "Operator detection trials running at once, each on its own Deployment "
          + "(default: ${DEFAULT-VALUE}).")
  int parallel;

  @Option(names = "--baseline-parallel", defaultValue = "10", paramLabel = "P",
      description = "kubectl script trials running at once; they mostly wait out --baseline-timeout "
          + "(default: ${DEFAULT-VALUE}).")
  int baselineParallel;

  @Option(names = "--baseline-timeout", defaultValue = "PT30S", paramLabel = "DURATION",
      description = "The script's kubectl rollout status --timeout, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration baselineTimeout;

  @Option(names = "--sizes", defaultValue = "100,1000", split = ",", paramLabel = "N",
      description = "Hotfix counts for throughput and footprint, ascending (default: ${DEFAULT-VALUE}).")
  List<Integer> sizes;

  @Option(names = "--pod-start-delay", defaultValue = "PT0.5S", paramLabel = "DURATION",
      description = "The sandbox's pod start delay, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration podStartDelay;

  @Option(names = "--out", paramLabel = "FILE", description = "Also write the figures here: FILE.json or FILE.csv.")
  Path outFile;

  @Option(names = "--work-dir", defaultValue = "target/bench", paramLabel = "DIR",
      description = "Kubeconfigs and operator logs go here (default: ${DEFAULT-VALUE}).")
  Path workDir;

  @Option(names = "--operator-jvm-arg", paramLabel = "ARG",
      description = "A JVM option for the operator process (repeatable), e.g. -Xmx512m or "
          + "-XX:StartFlightRecording=filename=target/bench/op.jfr to profile it.")
  List<String> operatorJvmArgs = new ArrayList<>();

  private final PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    Optional<String> invalid = invalidInput();
    if (invalid.isPresent()) {
      System.err.println("error: " + invalid.get());
      return 2;
    }
    Files.createDirectories(workDir);
    SandboxOptions sandbox = SandboxOptions.defaults().withPodStartDelay(podStartDelay);
    Report report = new Report();
    report.describe("machine: " + Machine.describe());
    report.describe("sandbox: pod start delay " + podStartDelay.toMillis() + " ms, Prometheus scrape "
        + sandbox.scrapeInterval().toMillis() + " ms; detection trials on fresh 3-replica Deployments, " + parallel
        + " at a time; kubectl script: " + new KubectlScript(Path.of("KUBECONFIG"), baselineTimeout)
            .script("D", "IMAGE"));
    boolean ours = part == Part.detection || part == Part.all;
    boolean baseline = ours || part == Part.baseline;
    if (baseline) {
      out.println("== detection to rollback");
      new DetectionSection(sandbox, workDir, operatorJvmArgs, out).run(ours, trials, parallel,
          baselineTimeout, baselineParallel, report);
      saveSoFar(report);
    }
    if (part == Part.exposure) {
      out.println("== pods exposed before rollback");
      new DetectionSection(sandbox, workDir, operatorJvmArgs, out).runExposure(trials, parallel, report);
      saveSoFar(report);
    }
    if (part == Part.throughput || part == Part.all) {
      out.println("== throughput");
      ThroughputBench throughput = new ThroughputBench(sandbox, workDir, operatorJvmArgs, out);
      for (int n : sizes) {
        throughput.run(n, report);
      }
      saveSoFar(report);
    }
    if (part == Part.footprint || part == Part.all) {
      out.println("== footprint");
      new FootprintBench(sandbox, workDir, operatorJvmArgs, out).run(sizes, report);
    }
    out.println();
    report.print(out);
    if (outFile != null) {
      report.write(outFile);
      out.println("figures written to " + outFile);
    }
    return 0;
  }

  /** Writes the figures so far, so a run stopped in a later part keeps the earlier ones. */
  private void saveSoFar(Report report) throws java.io.IOException {
    if (outFile != null) {
      report.write(outFile);
    }
  }

  private Optional<String> invalidInput() {
    if (trials < 1 || parallel < 1 || baselineParallel < 1) {
      return Optional.of("--trials, --parallel and --baseline-parallel must be at least 1");
    }
    if (baselineTimeout.isNegative() || baselineTimeout.toSeconds() < 1) {
      return Optional.of("--baseline-timeout must be at least PT1S (kubectl's --timeout counts whole seconds)");
    }
    if (podStartDelay.isNegative()) {
      return Optional.of("--pod-start-delay must not be negative");
    }
    for (int i = 0; i < sizes.size(); i++) {
      if (sizes.get(i) < 1 || (i > 0 && sizes.get(i) <= sizes.get(i - 1))) {
        return Optional.of("--sizes must be positive and ascending, e.g. 100,1000 (got " + sizes + ")");
      }
    }
    if (outFile != null) {
      String name = outFile.getFileName().toString().toLowerCase(Locale.ROOT);
      if (!name.endsWith(".json") && !name.endsWith(".csv")) {
        return Optional.of("--out must name a .json or .csv file (got " + outFile + ")");
      }
    }
    return Optional.empty();
  }
}
