package dev.hotfix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
  void theWebhookNeedsTheIdentityKeyAndTheOperatorsUser(@TempDir Path dir) throws Exception {
    Path pem = Files.writeString(dir.resolve("tls.pem"), "readable");
    String[] tls = {"--webhook-port", "9443", "--webhook-tls-cert", pem.toString(), "--webhook-tls-key",
        pem.toString()};

    assertThat(parse(tls).webhookProblem()).hasValueSatisfying(m -> assertThat(m)
        .contains("--webhook-port needs --identity-key-file FILE", "never pass as verified"));
    String[] withKey = concat(tls, "--identity-key-file", pem.toString());
    assertThat(parse(withKey).webhookProblem()).hasValueSatisfying(m -> assertThat(m)
        .contains("--webhook-port needs --operator-user USER", "refuses status writes by anyone else"));
    assertThat(parse(concat(withKey, "--operator-user", "system:serviceaccount:hotfix-system:hotfix-operator"))
        .webhookProblem()).isEmpty();
  }

  @Test
  void theHelpListsTheFlags() {
    StringWriter help = new StringWriter();
    new CommandLine(new RunCommand()).usage(new PrintWriter(help));

    assertThat(help.toString()).contains("--webhook-port", "--webhook-tls-cert", "--webhook-tls-key",
        "--identity-key-file", "--operator-user");
  }

  private static String[] concat(String[] first, String... more) {
    String[] all = Arrays.copyOf(first, first.length + more.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }

  private static RunCommand parse(String... args) {
    RunCommand run = new RunCommand();
    // as Main configures it (enum values such as --log-format's in any case)
    new CommandLine(run).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
    return run;
  }
}
