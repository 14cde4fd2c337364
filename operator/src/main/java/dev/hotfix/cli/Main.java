package dev.hotfix.cli;

import dev.hotfix.cli.hotfix.HotfixCommand;
import dev.hotfix.http.EmbeddedHttpServer;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The single executable: {@code java -jar target/hotfix-operator.jar <command>}. The container
 * image's jar ({@code target/hotfix-operator-image.jar}) leaves out the sandbox and the benchmark,
 * so their commands are added only when their classes are there.
 */
@Command(name = "hotfix-operator", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Ships emergency fixes to Kubernetes Deployments safely, and rolls them back by itself.",
    subcommands = {RunCommand.class})
public final class Main {
  /** Commands of test equipment, by name: absent from the image's jar. */
  private static final List<String> EQUIPMENT = List.of("dev.hotfix.cli.SandboxCommand", "dev.hotfix.cli.DemoCommand");
  private static final String BENCH = "dev.hotfix.bench.BenchCommand";

  public static void main(String[] args) {
    // before any HTTP server of this JVM exists: the JDK reads these limits once
    EmbeddedHttpServer.limitRequestTimes();
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, shared by {@link #main} and tests. */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new Main());
    EQUIPMENT.forEach(name -> addIfPresent(commandLine, name));
    commandLine.addSubcommand(HotfixCommand.class);
    addIfPresent(commandLine, BENCH);
    commandLine.addSubcommand(CommandLine.HelpCommand.class);
    return commandLine.setCaseInsensitiveEnumValuesAllowed(true);
  }

  private static void addIfPresent(CommandLine commandLine, String className) {
    try {
      commandLine.addSubcommand(Class.forName(className));
    } catch (ClassNotFoundException e) {
      // the image's jar: the sandbox, the demo and the benchmark are not shipped
    }
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
