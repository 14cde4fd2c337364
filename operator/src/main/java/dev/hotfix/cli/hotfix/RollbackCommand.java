package dev.hotfix.cli.hotfix;

import dev.hotfix.api.v1alpha1.Hotfix;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code hotfix rollback NAME}: asks the operator to roll back now by setting
 * {@code spec.abort: true} with a JSON patch that tests the resourceVersion it read (a Hotfix
 * changed in between is read again, once).
 */
@Command(name = "rollback", mixinStandardHelpOptions = true,
    description = "Rolls a Hotfix back now: sets spec.abort to true; the operator restores the recorded previous "
        + "revision.")
final class RollbackCommand extends ClusterCommand {

  @Parameters(paramLabel = "NAME", description = "The Hotfix.")
  String name;

  @Override
  int run(Cluster cluster, PrintWriter out) {
    for (int attempt = 1; ; attempt++) {
      Hotfix h = cluster.hotfix(name);
      if (h.getStatus() != null && h.getStatus().phase != null && h.getStatus().phase.isTerminal()) {
        throw new CliError("Hotfix " + name + " has already ended (" + h.getStatus().phase + "): nothing to roll "
            + "back");
      }
      if (Boolean.TRUE.equals(h.getSpec().abort)) {
        out.println("Rollback of Hotfix " + name + " was already requested; follow it with: kubectl hotfix status "
            + name);
        return 0;
      }
      String patch = "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\""
          + h.getMetadata().getResourceVersion() + "\"},{\"op\":\"add\",\"path\":\"/spec/abort\",\"value\":true}]";
      try {
        cluster.client.resources(Hotfix.class).inNamespace(cluster.namespace).withName(name)
            .patch(PatchContext.of(PatchType.JSON), patch);
        out.println("Rollback of Hotfix " + name + " requested (spec.abort: true); follow it with: kubectl hotfix "
            + "status " + name);
        return 0;
      } catch (KubernetesClientException e) {
        // 409/422: the Hotfix changed since it was read (the test failed); read it again and decide again
        if (attempt >= 2 || e.getCode() != 409 && e.getCode() != 422) {
          throw e;
        }
      }
    }
  }
}
