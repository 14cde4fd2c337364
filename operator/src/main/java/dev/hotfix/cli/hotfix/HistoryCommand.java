package dev.hotfix.cli.hotfix;

import dev.hotfix.api.v1alpha1.TargetKind;
import dev.hotfix.history.HistoryStore;
import dev.hotfix.history.TargetHistory;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hotfix history TARGET}: the hot fixes a target had, as the operator keeps them in its
 * history ConfigMap (they outlive the Hotfixes): totals, then the last outcomes, newest first.
 */
@Command(name = "history", mixinStandardHelpOptions = true,
    description = "Prints the hot fixes a target had (kept by the operator, also after the Hotfixes are deleted): "
        + "how many, how many rolled back, and the last outcomes (FINISHED, NAME, SEVERITY, PHASE, CAUSE), newest "
        + "first.")
final class HistoryCommand extends ClusterCommand {

  @Parameters(paramLabel = "TARGET", description = "The target's name (a Deployment, unless --kind says otherwise).")
  String target;

  @Option(names = "--kind", paramLabel = "KIND", defaultValue = "Deployment",
      description = "The target's kind (default: ${DEFAULT-VALUE}; one of: ${COMPLETION-CANDIDATES}).")
  TargetKind kind;

  @Override
  int run(Cluster cluster, PrintWriter out) {
    HistoryStore.Read read = new HistoryStore(cluster.client).read(cluster.namespace, kind.name(), target);
    if (read instanceof HistoryStore.Unavailable u) {
      throw new CliError(u.why());
    }
    TargetHistory history = ((HistoryStore.Kept) read).history();
    if (history.outcomes.isEmpty()) {
      spec.commandLine().getErr().println("No hot fixes recorded for " + kind + " " + target + " in namespace "
          + cluster.namespace + ".");
      return 0;
    }
    out.println(kind + " " + target + " (namespace " + cluster.namespace + "): " + history.hotfixes + " hot fix"
        + (history.hotfixes == 1 ? "" : "es") + " ended, " + history.rollbacks + " rolled back"
        + (history.hotfixes > history.outcomes.size() ? "; the last " + history.outcomes.size() + ":" : ":"));
    Table table = new Table("FINISHED", "NAME", "SEVERITY", "PHASE", "CAUSE");
    List<TargetHistory.Outcome> newestFirst = new ArrayList<>(history.outcomes);
    Collections.reverse(newestFirst);
    for (TargetHistory.Outcome o : newestFirst) {
      table.row(o.finishedAt, o.name, String.valueOf(o.severity), String.valueOf(o.phase), o.cause);
    }
    table.lines("").forEach(out::println);
    return 0;
  }
}
