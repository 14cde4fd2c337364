package dev.hotfix.cli.hotfix;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A {@code hotfix} subcommand that talks to the cluster: connects with the parent command's
 * options, runs, and turns failures into one clear line on stderr and exit code 1 (no stack
 * traces for a missing Hotfix or an unreachable API server).
 */
abstract class ClusterCommand implements Callable<Integer> {
  @ParentCommand
  HotfixCommand parent;

  @Spec
  CommandSpec spec;

  /** Does the work; returns the exit code. */
  abstract int run(Cluster cluster, PrintWriter out);

  @Override
  public Integer call() {
    PrintWriter out = TerminalSafe.wrap(spec.commandLine().getOut());
    PrintWriter err = TerminalSafe.wrap(spec.commandLine().getErr());
    try (Cluster cluster = Cluster.connect(parent)) {
      try {
        int code = run(cluster, out);
        out.flush();
        return code;
      } catch (KubernetesClientException e) {
        err.println("error: " + describe(e, cluster.config.getMasterUrl()));
        return 1;
      }
    } catch (CliError e) {
      err.println("error: " + e.getMessage());
      return 1;
    } finally {
      err.flush();
    }
  }

  /** What went wrong talking to the API server at {@code url}, for people. */
  static String describe(KubernetesClientException e, String url) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException) {
        return "cannot reach the Kubernetes API at " + url + " (" + causes(t) + "); is the cluster (or the sandbox) "
            + "running, and is this the right kubeconfig?";
      }
    }
    if (e.getCode() == 401 || e.getCode() == 403) {
      return "the Kubernetes API at " + url + " refused: " + reason(e) + " (check your credentials and RBAC)";
    }
    if (e.getCode() == 404 && e.getMessage() != null && e.getMessage().contains("hotfix.dev")) {
      return "the Hotfix CRDs are not installed in " + url + ": install them first with `kubectl apply -f crds/`";
    }
    return reason(e);
  }

  /** The most telling cause: a refused connection, else the first with a message (the JDK client nests them). */
  private static String causes(Throwable t) {
    Throwable refused = null;
    Throwable withMessage = null;
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (refused == null && c instanceof ConnectException) {
        refused = c;
      }
      if (withMessage == null && c.getMessage() != null && !c.getMessage().isBlank()) {
        withMessage = c;
      }
    }
    Throwable d = refused != null ? refused : withMessage != null ? withMessage : t;
    return d.getClass().getSimpleName() + (d.getMessage() == null ? "" : ": " + d.getMessage());
  }

  private static String reason(KubernetesClientException e) {
    return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
  }
}
