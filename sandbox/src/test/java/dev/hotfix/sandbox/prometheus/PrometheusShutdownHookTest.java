package dev.hotfix.sandbox.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Ctrl-C on a JVM running a sandbox Prometheus leaves no prometheus and no directory behind. */
class PrometheusShutdownHookTest {

  @Test
  void terminatingTheJvmStopsItsPrometheus() throws Exception {
    assertThat(PrometheusServer.findBinary()).as(PrometheusServer.NOT_FOUND).isPresent();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process jvm =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                PrometheusUntilKilled.class.getName())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    long prometheusPid = -1;
    try {
      String started = readStartLine(jvm);
      assertThat(started).as("the child JVM's report of its prometheus").matches("\\d+ .+");
      prometheusPid = Long.parseLong(started.substring(0, started.indexOf(' ')));
      Path directory = Path.of(started.substring(started.indexOf(' ') + 1));
      assertThat(isAlive(prometheusPid)).isTrue();

      jvm.destroy(); // SIGTERM, as Ctrl-C or `kill` would send: shutdown hooks run
      assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).as("the child JVM exits").isTrue();

      long pid = prometheusPid;
      await().atMost(Duration.ofSeconds(15)).until(() -> !isAlive(pid));
      assertThat(Files.exists(directory)).isFalse();
    } finally {
      jvm.destroyForcibly();
      // Only if the hook failed: stop the prometheus this test caused to start, by its pid,
      // checking it still is a prometheus and not a process that reused the number.
      if (prometheusPid > 0) {
        ProcessHandle.of(prometheusPid)
            .filter(p -> p.info().command().orElse("").endsWith("/prometheus"))
            .ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  /** The child's first line; its stdout carries nothing else worth reading. */
  private static String readStartLine(Process jvm) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.matches("\\d+ /.*")) {
        return line;
      }
    }
    return "(the child JVM ended without starting prometheus)";
  }

  private static boolean isAlive(long pid) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    return handle.isPresent() && handle.get().isAlive();
  }
}
