package dev.hotfix.bench;

import dev.hotfix.sandbox.Executables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The baseline: the script people write today, run by bash with the real {@code kubectl},
 * unmodified, against the sandbox's kubeconfig:
 * {@code kubectl set image deployment/D app=IMAGE && { kubectl rollout status deployment/D
 * --timeout=T || kubectl rollout undo deployment/D; }}. {@code rollout status} sees only
 * progress, never pod crashes or metrics: a crash loop is undone when T runs out, a metric
 * fault never.
 */
final class KubectlScript implements Responder {
  private final Path kubeconfig;
  private final Duration timeout;

  KubectlScript(Path kubeconfig, Duration timeout) {
    this.kubeconfig = kubeconfig;
    this.timeout = timeout;
  }

  /** Where kubectl is, or why the baseline cannot run. */
  static Optional<Path> binary() {
    return Executables.onPath("kubectl");
  }

  @Override
  public String subject() {
    return Figure.BASELINE;
  }

  /** The script, word for word, for a Deployment. */
  String script(String deployment, String image) {
    String d = "deployment/" + deployment;
    return "kubectl set image " + d + " " + Workloads.CONTAINER + "=" + image + " && { kubectl rollout status " + d
        + " --timeout=" + timeout.toSeconds() + "s || kubectl rollout undo " + d + "; }";
  }

  @Override
  public String respond(String deployment, FaultScenario fault) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", script(deployment, fault.badImage()))
        .redirectErrorStream(true);
    pb.environment().put("KUBECONFIG", kubeconfig.toAbsolutePath().toString());
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(timeout.toSeconds() + 60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return "script hung";
    }
    if (output.contains("rolled back")) {
      return "rollout status timed out, undone";
    }
    if (output.contains("successfully rolled out")) {
      return "rollout status passed: bad image left running";
    }
    String[] lines = output.strip().split("\n");
    return "script exit " + p.exitValue() + ": " + lines[lines.length - 1];
  }
}
