package dev.hotfix.operator;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.cli.LogFormat;
import dev.hotfix.sandbox.SandboxOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@code run --log-format json}: the console appender writes one JSON object per line, and the
 * lines written while a Hotfix is reconciled carry its namespace and name.
 */
class JsonLogTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void reconcileLinesAreJsonAndCarryTheHotfix() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    @SuppressWarnings("unchecked")
    ConsoleAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>) context
        .getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
    Encoder<ILoggingEvent> text = console.getEncoder();
    Logger statusWriter = context.getLogger(StatusWriter.class);
    PrintStream stderr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    String name;
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      LogFormat.JSON.apply(); // what `run` does with the flag; the appender now writes to the captured stderr
      statusWriter.setLevel(Level.INFO);
      try (ScenarioBed bed = new ScenarioBed(SandboxOptions.defaults().withPrometheus(false)
          .withPodStartDelay(Duration.ofMillis(200)), OperatorOptions.defaults())) {
        String web = bed.deploymentReady(d -> { });
        name = bed.create(bed.hotfix(web, "registry.example.com/web:1.1-hotfix.1", s -> s.verification.bakeSeconds = 0));
        assertThat(bed.awaitTerminal(name).getStatus().phase).isEqualTo(Phase.Succeeded);
      }
    } finally {
      statusWriter.setLevel(null);
      System.setErr(stderr);
      console.stop();
      console.setEncoder(text);
      console.start();
    }

    List<JsonNode> lines = new ArrayList<>();
    for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
      lines.add(JSON.readTree(line)); // throws on anything that is not one JSON object
    }
    assertThat(lines).allSatisfy(l -> assertThat(l.isObject()).isTrue())
        .allSatisfy(l -> assertThat(l.fieldNames()).toIterable().contains("timestamp", "level", "logger", "message"));
    String hotfix = name;
    assertThat(lines).filteredOn(l -> l.path("logger").asText().equals(StatusWriter.class.getName()))
        .as("the status writer's lines while reconciling %s", hotfix).isNotEmpty()
        .allSatisfy(l -> {
          assertThat(l.path("mdc").path("resource.namespace").asText()).isEqualTo(ScenarioBed.NS);
          assertThat(l.path("mdc").path("resource.name").asText()).isEqualTo(hotfix);
        })
        .anySatisfy(l -> assertThat(l.path("message").asText()).contains("-> RollingOut"));
  }
}
