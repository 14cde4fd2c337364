package dev.hotfix.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/**
 * {@code --log-format}: how the operator's log lines look on stderr. Both carry the reconciled
 * resource (java-operator-sdk puts its namespace and name in the MDC while it reconciles).
 */
public enum LogFormat {
  /** One readable line per event, with {@code [namespace/name]} of the resource being reconciled (logback.xml). */
  TEXT,
  /** One JSON object per line ({@link JsonLogEncoder}), for log pipelines. */
  JSON;

  /**
   * Makes the console appenders of the logback configuration write in this format. Done in code
   * from the flag, so users have one setting instead of a second configuration file.
   */
  public void apply() {
    if (this == TEXT || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return; // text is what logback.xml configures
    }
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof OutputStreamAppender<ILoggingEvent> console) {
        JsonLogEncoder encoder = new JsonLogEncoder();
        encoder.setContext(context);
        encoder.start();
        console.stop();
        console.setEncoder(encoder);
        console.start();
      }
    }
  }
}
