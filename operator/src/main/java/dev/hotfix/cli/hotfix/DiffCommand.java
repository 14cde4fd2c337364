package dev.hotfix.cli.hotfix;

import dev.hotfix.api.v1alpha1.FieldChange;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.PatchRecord;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hotfix diff NAME}: the Hotfix's patch of its Deployment as a readable diff, field by
 * field, before and after. The operator records it in {@code status.patch} at pre-flight (the
 * server's dry-run answer, so admission's defaults and webhook mutations show): for a dry run the
 * patch it would apply, for any other Hotfix the one it applied. Read from status only: a Hotfix
 * reader needs no right on the Deployment.
 */
@Command(name = "diff", mixinStandardHelpOptions = true,
    description = {"Shows the patch a Hotfix applies to its Deployment as a diff, field by field (before -> after): "
        + "for a dry run (spec.dryRun: true) the patch it would apply, otherwise the one it applied.",
        "The values are as the API server's dry run answered them at pre-flight (admission webhooks' changes "
            + "included)."})
final class DiffCommand extends ClusterCommand {

  @Parameters(paramLabel = "NAME", description = "The Hotfix.")
  String name;

  @Option(names = "--json-patch", description = "Print the exact RFC 6902 JSON Patch instead of the diff.")
  boolean jsonPatch;

  @Override
  int run(Cluster cluster, PrintWriter out) {
    Hotfix h = cluster.hotfix(name);
    PatchRecord patch = h.getStatus() == null ? null : h.getStatus().patch;
    if (patch == null) {
      Phase phase = h.getStatus() == null ? null : h.getStatus().phase;
      throw new CliError("Hotfix " + name + " has no patch recorded (phase " + (phase == null ? "none yet" : phase)
          + "): the operator records it at pre-flight, just before the first write"
          + (phase == Phase.Rejected ? "; this one was rejected before (kubectl hotfix status " + name + ")"
              : phase != null && phase.isTerminal() ? "" : "; follow it with: kubectl hotfix status " + name));
    }
    if (jsonPatch) {
      out.println(patch.jsonPatch);
      return 0;
    }
    String target = h.getSpec().target == null ? "" : h.getSpec().target.name;
    boolean dryRun = Boolean.TRUE.equals(h.getSpec().dryRun);
    out.println("--- Deployment " + cluster.namespace + "/" + target + " (resourceVersion " + patch.resourceVersion + ")");
    out.println("+++ after Hotfix " + name + (dryRun ? " (dry run: not applied)" : ""));
    List<FieldChange> changes = patch.changes == null ? List.of() : patch.changes;
    for (FieldChange change : changes) {
      out.println("@@ " + change.path);
      if (change.before != null) {
        out.println("- " + change.before);
      }
      if (change.after != null) {
        out.println("+ " + change.after);
      }
    }
    if (changes.isEmpty()) {
      out.println("(no field changes recorded)");
    }
    return 0;
  }
}
