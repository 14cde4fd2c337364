package dev.hotfix.cli.hotfix;

import dev.hotfix.api.v1alpha1.Hotfix;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code hotfix list}: the namespace's Hotfixes, as {@code kubectl get hotfixes} shows them. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the Hotfixes of the namespace: NAME, "
    + "TARGET, SEVERITY, PHASE, AGE.")
final class ListCommand extends ClusterCommand {

  @Override
  int run(Cluster cluster, PrintWriter out) {
    List<Hotfix> hotfixes = cluster.client.resources(Hotfix.class).inNamespace(cluster.namespace).list().getItems()
        .stream().sorted(Comparator.comparing(h -> h.getMetadata().getName())).toList();
    if (hotfixes.isEmpty()) {
      spec.commandLine().getErr().println("No resources found in " + cluster.namespace + " namespace.");
      return 0;
    }
    Table table = new Table("NAME", "TARGET", "SEVERITY", "PHASE", "AGE");
    Instant now = Instant.now();
    for (Hotfix h : hotfixes) {
      table.row(h.getMetadata().getName(), h.getSpec().target == null ? "" : h.getSpec().target.name,
          String.valueOf(h.getSpec().severity), h.getStatus() == null || h.getStatus().phase == null ? ""
              : h.getStatus().phase.name(), HumanDuration.since(h.getMetadata().getCreationTimestamp(), now));
    }
    table.lines("").forEach(out::println);
    return 0;
  }
}
