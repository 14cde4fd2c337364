package dev.hotfix.cli.hotfix;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.report.IncidentReport;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code hotfix report NAME}: prints the Markdown incident report the operator wrote when the Hotfix ended. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Prints a Hotfix's incident report (Markdown), written by the operator when the Hotfix ends.")
final class ReportCommand extends ClusterCommand {

  @Parameters(paramLabel = "NAME", description = "The Hotfix.")
  String name;

  @Override
  int run(Cluster cluster, PrintWriter out) {
    Hotfix h = cluster.hotfix(name);
    if (h.getStatus() == null || h.getStatus().phase == null || !h.getStatus().phase.isTerminal()) {
      throw new CliError("Hotfix " + name + " has not ended yet (phase " + (h.getStatus() == null
          || h.getStatus().phase == null ? "none yet" : h.getStatus().phase) + "): its incident report is written "
          + "when it ends; follow it with: kubectl hotfix status " + name);
    }
    String configMap = h.getStatus().report != null ? h.getStatus().report : IncidentReport.configMapName(name);
    ConfigMap cm = cluster.client.configMaps().inNamespace(cluster.namespace).withName(configMap).get();
    if (cm == null || cm.getData() == null || !cm.getData().containsKey(IncidentReport.KEY)) {
      throw new CliError("the incident report of Hotfix " + name + " (ConfigMap " + configMap + ", key "
          + IncidentReport.KEY + ") is missing in namespace " + cluster.namespace + "; the operator writes it when "
          + "the Hotfix ends: check the operator's log");
    }
    out.print(cm.getData().get(IncidentReport.KEY));
    return 0;
  }
}
