package dev.hotfix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class JsonLogEncoderTest {
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final JsonLogEncoder encoder = new JsonLogEncoder();

  @Test
  void anEventIsOneLineOfJsonWithTheMdcAndTheException() throws Exception {
    LoggingEvent event = new LoggingEvent("test", context.getLogger("dev.hotfix.operator.StatusWriter"), Level.WARN,
        "could not record event {} for {}", new IllegalStateException("conflict \"409\"\non write"),
        new Object[] {"RollingOut", "shop/fix-1"});
    event.setMDCPropertyMap(Map.of("resource.namespace", "shop", "resource.name", "fix-1"));

    String line = new String(encoder.encode(event), StandardCharsets.UTF_8);

    assertThat(line).endsWith("\n").doesNotContain("\n\n");
    assertThat(line.strip()).doesNotContain("\n");
    JsonNode json = new ObjectMapper().readTree(line);
    assertThat(json.path("level").asText()).isEqualTo("WARN");
    assertThat(json.path("logger").asText()).isEqualTo("dev.hotfix.operator.StatusWriter");
    assertThat(json.path("message").asText()).isEqualTo("could not record event RollingOut for shop/fix-1");
    assertThat(json.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(json.path("mdc").path("resource.name").asText()).isEqualTo("fix-1");
    assertThat(json.path("mdc").path("resource.namespace").asText()).isEqualTo("shop");
    assertThat(json.path("exception").path("class").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(json.path("exception").path("message").asText()).isEqualTo("conflict \"409\"\non write");
    assertThat(json.path("exception").path("stackTrace").asText()).contains("JsonLogEncoderTest");
  }

  @Test
  void withoutMdcOrExceptionThoseFieldsAreLeftOut() throws Exception {
    LoggingEvent event = new LoggingEvent("test", context.getLogger("x"), Level.INFO, "started", null, null);

    JsonNode json = new ObjectMapper().readTree(encoder.encode(event));

    assertThat(json.has("mdc")).isFalse();
    assertThat(json.has("exception")).isFalse();
    assertThat(json.path("message").asText()).isEqualTo("started");
  }
}
