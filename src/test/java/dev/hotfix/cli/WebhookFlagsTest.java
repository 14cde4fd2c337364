package dev.hotfix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code run --webhook-*}: the webhook is off by default, and on needs a readable certificate and key. */
class WebhookFlagsTest {

  @Test
  void theWebhookIsOffByDefault() {
    RunCommand run = parse();

    assertThat(run.webhookPort).isZero();
    assertThat(run.webhookProblem()).isEmpty();
  }

  @Test
  void aWebhookPortWithoutCertificateAndKeyIsRefusedBeforeAnythingStarts() {
    assertThat(parse("--webhook-port", "9443").webhookProblem()).hasValueSatisfying(m -> assertThat(m)
        .contains("--webhook-port needs --webhook-tls-cert FILE and --webhook-tls-key FILE"));
  }

  @Test
  void anUnreadableCertificateIsNamed(@TempDir Path dir) {
    Path missing = dir.resolve("tls.crt");

    assertThat(parse("--webhook-port", "9443", "--webhook-tls-cert", missing.toString(), "--webhook-tls-key",
        missing.toString()).webhookProblem()).hasValueSatisfying(m -> assertThat(m).contains("cannot read " + missing));
  }

  @Test
  void theHelpListsTheFlags() {
    StringWriter help = new StringWriter();
    new CommandLine(new RunCommand()).usage(new PrintWriter(help));

    assertThat(help.toString()).contains("--webhook-port", "--webhook-tls-cert", "--webhook-tls-key");
  }

  private static RunCommand parse(String... args) {
    RunCommand run = new RunCommand();
    new CommandLine(run).parseArgs(args);
    return run;
  }
}
