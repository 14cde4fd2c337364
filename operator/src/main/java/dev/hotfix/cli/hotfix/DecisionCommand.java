package dev.hotfix.cli.hotfix;

import dev.hotfix.api.v1alpha1.Decision;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixApproval;
import dev.hotfix.api.v1alpha1.HotfixApprovalSpec;
import dev.hotfix.policy.IdentityAnnotations;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code approve} and {@code reject}: creates a HotfixApproval named {@code <hotfix>-<user>-<n>}
 * (the first free n) carrying the decision and the caller's identity in the
 * {@code hotfix.dev/approved-by} annotations. The operator's admission webhook, when installed,
 * overwrites them with the identity the API server authenticated; without it they count as
 * unverified.
 */
abstract class DecisionCommand extends ClusterCommand {
  static final String APPROVED_BY = "hotfix.dev/approved-by";
  static final String APPROVED_BY_GROUPS = "hotfix.dev/approved-by-groups";
  /** Object names are at most 253 characters; leave room for "-<n>". */
  private static final int NAME_PREFIX_LIMIT = 240;
  private static final int MAX_TRIES = 100;

  @Parameters(paramLabel = "NAME", description = "The Hotfix.")
  String name;

  @Option(names = "--comment", paramLabel = "TEXT", description = "Why (up to 1024 characters); it goes into the "
      + "incident report.")
  String comment;

  abstract Decision decision();

  @Override
  int run(Cluster cluster, PrintWriter out) {
    Hotfix hotfix = cluster.hotfix(name);
    if (hotfix.getStatus() != null && hotfix.getStatus().phase != null && hotfix.getStatus().phase.isTerminal()) {
      throw new CliError("Hotfix " + name + " has already ended (" + hotfix.getStatus().phase + "); a decision "
          + "would change nothing");
    }
    if (comment != null && comment.length() > 1024) {
      throw new CliError("--comment is " + comment.length() + " characters long; the limit is 1024");
    }
    Identity me = Identity.of(cluster);
    String prefix = name + "-" + me.nameSegment();
    prefix = prefix.length() > NAME_PREFIX_LIMIT ? prefix.substring(0, NAME_PREFIX_LIMIT) : prefix;
    for (int n = 1; n <= MAX_TRIES; n++) {
      try {
        HotfixApproval created = cluster.client.resource(approval(cluster.namespace, prefix + "-" + n, me,
            hotfix.getMetadata().getUid())).create();
        out.println("hotfixapproval.hotfix.dev/" + created.getMetadata().getName() + " created: " + me.user() + " "
            + (decision() == Decision.Approve ? "approves" : "rejects") + " Hotfix " + name + " in namespace "
            + cluster.namespace);
        if (!me.fromServer()) {
          out.println("(identity from the kubeconfig user: unverified unless the operator's admission webhook "
              + "stamps it)");
        }
        return 0;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
      }
    }
    throw new CliError(MAX_TRIES + " HotfixApprovals named " + prefix + "-<n> exist already; delete old ones");
  }

  /** The decision on exactly this Hotfix: its uid, so a recreated Hotfix of the same name does not inherit it. */
  private HotfixApproval approval(String namespace, String approvalName, Identity me, String hotfixUid) {
    HotfixApproval a = new HotfixApproval();
    a.getMetadata().setName(approvalName);
    a.getMetadata().setNamespace(namespace);
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(APPROVED_BY, me.user());
    if (!me.groups().isEmpty()) {
      annotations.put(APPROVED_BY_GROUPS, String.join(",", me.groups()));
    }
    if (hotfixUid != null) {
      annotations.put(IdentityAnnotations.HOTFIX_UID, hotfixUid);
    }
    a.getMetadata().setAnnotations(annotations);
    HotfixApprovalSpec spec = new HotfixApprovalSpec();
    spec.hotfix = name;
    spec.decision = decision();
    spec.comment = comment;
    a.setSpec(spec);
    return a;
  }
}
