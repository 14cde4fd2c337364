package dev.hotfix.cli;

import dev.hotfix.bench.BenchCommand;
import dev.hotfix.cli.hotfix.HotfixCommand;
import dev.hotfix.http.EmbeddedHttpServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The single executable: {@code java -jar target/hotfix-operator.jar <command>}. */
@Command(name = "hotfix-operator", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Ships emergency fixes to Kubernetes Deployments safely, and rolls them back by itself.",
    subcommands = {RunCommand.class, SandboxCommand.class, DemoCommand.class, HotfixCommand.class,
        BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main {

  public static void main(String[] args) {
    // before any HTTP server of this JVM exists: the JDK reads these limits once
    EmbeddedHttpServer.limitRequestTimes();
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, shared by {@link #main} and tests. */
  public static CommandLine commandLine() {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  /** The version from the jar's manifest (or "dev" when run from classes). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"hotfix-operator " + (v == null ? "dev" : v)};
    }
  }
}
