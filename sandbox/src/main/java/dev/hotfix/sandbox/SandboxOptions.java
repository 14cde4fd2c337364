package dev.hotfix.sandbox;

import dev.hotfix.sandbox.api.WatchSettings;
import java.time.Duration;

/**
 * How to start a {@link Sandbox}.
 *
 * @param apiPort API server port on 127.0.0.1; 0 picks a free one
 * @param podStartDelay how long a healthy pod takes to become ready
 * @param prometheus start the real Prometheus when the binary is on PATH
 * @param scrapeInterval Prometheus's scrape and evaluation interval
 * @param apiWatch the API server's watch bookmarks, watch cache window and watch timeouts
 */
public record SandboxOptions(int apiPort, Duration podStartDelay, boolean prometheus, Duration scrapeInterval,
    WatchSettings apiWatch) {

  /** Loopback on a free port, pods ready after about a second, Prometheus scraping every second. */
  public static SandboxOptions defaults() {
    return new SandboxOptions(0, Duration.ofSeconds(1), true, Duration.ofSeconds(1), WatchSettings.defaults());
  }

  public SandboxOptions withApiPort(int port) {
    return new SandboxOptions(port, podStartDelay, prometheus, scrapeInterval, apiWatch);
  }

  public SandboxOptions withPodStartDelay(Duration delay) {
    return new SandboxOptions(apiPort, delay, prometheus, scrapeInterval, apiWatch);
  }

  public SandboxOptions withPrometheus(boolean start) {
    return new SandboxOptions(apiPort, podStartDelay, start, scrapeInterval, apiWatch);
  }

  /** The same options with other watch timing for the API server (tests shorten it to see watches expire). */
  public SandboxOptions withApiWatch(WatchSettings settings) {
    return new SandboxOptions(apiPort, podStartDelay, prometheus, scrapeInterval, settings);
  }
}
