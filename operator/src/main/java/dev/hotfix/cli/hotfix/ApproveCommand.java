package dev.hotfix.cli.hotfix;

import dev.hotfix.api.v1alpha1.Decision;
import picocli.CommandLine.Command;

/** {@code hotfix approve NAME [--comment TEXT]}. */
@Command(name = "approve", mixinStandardHelpOptions = true,
    description = "Approves a Hotfix: creates a HotfixApproval <hotfix>-<you>-<n> with your identity.")
final class ApproveCommand extends DecisionCommand {
  @Override
  Decision decision() {
    return Decision.Approve;
  }
}
