package dev.hotfix.cli.hotfix;

import dev.hotfix.api.v1alpha1.Decision;
import picocli.CommandLine.Command;

/** {@code hotfix reject NAME [--comment TEXT]}: one rejection ends the Hotfix Rejected. */
@Command(name = "reject", mixinStandardHelpOptions = true,
    description = "Rejects a Hotfix (it ends Rejected): creates a HotfixApproval <hotfix>-<you>-<n> with decision "
        + "Reject and your identity.")
final class RejectCommand extends DecisionCommand {
  @Override
  Decision decision() {
    return Decision.Reject;
  }
}
