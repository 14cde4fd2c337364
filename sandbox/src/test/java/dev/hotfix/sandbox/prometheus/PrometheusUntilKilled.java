package dev.hotfix.sandbox.prometheus;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A JVM that starts a Prometheus, prints {@code <pid> <directory>} and waits to be killed: what
 * a sandbox stopped with Ctrl-C looks like to {@link PrometheusShutdownHookTest}. Deliberately
 * never closes the server, so only the shutdown hook can stop it.
 */
final class PrometheusUntilKilled {

  private PrometheusUntilKilled() {}

  public static void main(String[] args) throws InterruptedException {
    PrometheusServer prometheus =
        PrometheusServer.start(List.of(URI.create("http://127.0.0.1:9/metrics")),
            Duration.ofSeconds(1));
    System.out.println(prometheus.pid() + " " + prometheus.directory());
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
