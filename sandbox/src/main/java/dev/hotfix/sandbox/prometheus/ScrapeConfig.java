package dev.hotfix.sandbox.prometheus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code prometheus.yml} of a sandbox Prometheus: one job, {@value #JOB}, scraping each
 * target URI at its own scheme, host, port and path, every {@code interval}; rules (none yet)
 * are evaluated as often. Built as a tree and written by Jackson so no value needs hand quoting.
 */
final class ScrapeConfig {

  /** The job name; it becomes the {@code job} label of every scraped series. */
  static final String JOB = "sandbox-app";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private ScrapeConfig() {}

  /**
   * The configuration file's text.
   *
   * @throws IllegalArgumentException for a target that is not an absolute http(s) URI with a
   *     host and port, or an interval under a millisecond
   */
  static String render(List<URI> targets, Duration interval) {
    long millis = interval.toMillis();
    if (millis < 1) {
      throw new IllegalArgumentException("the scrape interval must be at least 1ms: " + interval);
    }
    String every = millis + "ms";
    Map<String, Object> global = new LinkedHashMap<>();
    global.put("scrape_interval", every);
    // A scrape may take the whole interval but no longer: Prometheus refuses a longer timeout.
    global.put("scrape_timeout", every);
    global.put("evaluation_interval", every);

    Map<String, Object> job = new LinkedHashMap<>();
    job.put("job_name", JOB);
    job.put("static_configs", targets.stream().map(ScrapeConfig::staticConfig).toList());

    Map<String, Object> config = new LinkedHashMap<>();
    config.put("global", global);
    config.put("scrape_configs", List.of(job));
    try {
      return YAML.writeValueAsString(config);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a map of strings as YAML", e);
    }
  }

  /**
   * One target. Its path and scheme ride on the {@code __metrics_path__} and {@code __scheme__}
   * labels, which Prometheus honours per target, so targets need not share a path.
   */
  private static Map<String, Object> staticConfig(URI target) {
    String scheme = target.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)
        || target.getHost() == null || target.getPort() < 0) {
      throw new IllegalArgumentException(
          "a scrape target must look like http://host:port/path, not " + target);
    }
    String path = target.getRawPath() == null || target.getRawPath().isEmpty()
        ? "/metrics"
        : target.getRawPath();
    return Map.of(
        "targets", List.of(target.getHost() + ":" + target.getPort()),
        "labels", Map.of("__metrics_path__", path, "__scheme__", scheme));
  }
}
