package dev.hotfix.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes each log event as one JSON object on one line: {@code timestamp} (ISO-8601, UTC),
 * {@code level}, {@code logger}, {@code thread}, {@code message}, {@code mdc} (while reconciling:
 * {@code resource.namespace}, {@code resource.name}, {@code resource.kind}, ...), and
 * {@code exception} ({@code class}, {@code message}, {@code stackTrace}) when there is one.
 * Flat, stable names that log pipelines (Loki, Elasticsearch, Cloud Logging) index as they are;
 * logback's own JsonEncoder writes epoch numbers and the unformatted message with its arguments.
 */
public final class JsonLogEncoder extends EncoderBase<ILoggingEvent> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] NONE = new byte[0];

  @Override
  public byte[] headerBytes() {
    return NONE;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    ObjectNode line = JSON.createObjectNode()
        .put("timestamp", event.getInstant().toString())
        .put("level", event.getLevel().toString())
        .put("logger", event.getLoggerName())
        .put("thread", event.getThreadName())
        .put("message", event.getFormattedMessage());
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (!mdc.isEmpty()) {
      ObjectNode fields = line.putObject("mdc");
      mdc.forEach(fields::put);
    }
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      line.putObject("exception")
          .put("class", thrown.getClassName())
          .put("message", thrown.getMessage())
          .put("stackTrace", ThrowableProxyUtil.asString(thrown));
    }
    try {
      return (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a log event that Jackson cannot write: " + e.getMessage(), e);
    }
  }

  @Override
  public byte[] footerBytes() {
    return NONE;
  }
}
