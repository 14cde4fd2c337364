package dev.hotfix.cli.hotfix;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code hotfix}: the day-to-day commands for people (also {@code kubectl hotfix ...} through
 * scripts/kubectl-hotfix): list, status, diff, approve, reject, rollback, report, history. They work
 * against any kubeconfig, the sandbox's included; docs/cli.md shows each.
 */
@Command(name = "hotfix", mixinStandardHelpOptions = true,
    description = "Lists Hotfixes, shows one and its patch as a diff, approves or rejects it, rolls it back, prints "
        + "its incident report, prints a target's history of hot fixes. "
        + "As a kubectl plugin: kubectl hotfix <command> (scripts/kubectl-hotfix on PATH).",
    subcommands = {ListCommand.class, StatusCommand.class, DiffCommand.class, ApproveCommand.class,
        RejectCommand.class, RollbackCommand.class, ReportCommand.class, HistoryCommand.class})
public final class HotfixCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--kubeconfig", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "The kubeconfig to use (default: KUBECONFIG, else ~/.kube/config, else in-cluster).")
  Path kubeconfig;

  @Option(names = "--context", paramLabel = "NAME", scope = ScopeType.INHERIT,
      description = "The kubeconfig context to use (default: the current context).")
  String context;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE", scope = ScopeType.INHERIT,
      description = "The namespace (default: the context's namespace, else default).")
  String namespace;

  @Option(names = "--as", paramLabel = "USER", scope = ScopeType.INHERIT,
      description = "Act as this user (impersonation, as kubectl --as): e.g. an approver on a shared admin "
          + "kubeconfig. Needs RBAC's impersonate verb.")
  String as;

  @Option(names = "--as-group", paramLabel = "GROUP", scope = ScopeType.INHERIT,
      description = "Act as a member of this group (repeatable; with --as).")
  List<String> asGroups = List.of();

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing command: one of list, status, diff, approve, reject, "
        + "rollback, report, history");
  }
}
