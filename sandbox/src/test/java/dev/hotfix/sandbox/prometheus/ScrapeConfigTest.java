package dev.hotfix.sandbox.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScrapeConfigTest {

  @Test
  void oneJobScrapesEveryTargetAtItsOwnPathAsOftenAsAsked() throws Exception {
    String yaml =
        ScrapeConfig.render(
            List.of(URI.create("http://127.0.0.1:4000/metrics"), URI.create("http://127.0.0.1:4001/x/prom")),
            Duration.ofSeconds(1));
    JsonNode config = new ObjectMapper(new YAMLFactory()).readTree(yaml);

    assertThat(config.at("/global/scrape_interval").asText()).isEqualTo("1000ms");
    assertThat(config.at("/global/evaluation_interval").asText()).isEqualTo("1000ms");
    assertThat(config.at("/scrape_configs").size()).isEqualTo(1);
    JsonNode job = config.at("/scrape_configs/0");
    assertThat(job.path("job_name").asText()).isEqualTo("sandbox-app");
    assertThat(job.at("/static_configs/0/targets/0").asText()).isEqualTo("127.0.0.1:4000");
    assertThat(job.at("/static_configs/0/labels/__metrics_path__").asText()).isEqualTo("/metrics");
    assertThat(job.at("/static_configs/1/targets/0").asText()).isEqualTo("127.0.0.1:4001");
    assertThat(job.at("/static_configs/1/labels/__metrics_path__").asText()).isEqualTo("/x/prom");
    assertThat(job.at("/static_configs/1/labels/__scheme__").asText()).isEqualTo("http");
  }

  @Test
  void targetsWithoutHostAndPortAndSubMillisecondIntervalsAreRefused() {
    assertThatThrownBy(
            () -> ScrapeConfig.render(List.of(URI.create("http://localhost/metrics")),
                Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http://host:port/path");
    assertThatThrownBy(
            () -> ScrapeConfig.render(List.of(URI.create("file:///tmp/metrics")),
                Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> ScrapeConfig.render(List.of(URI.create("http://127.0.0.1:1/metrics")),
                Duration.ofNanos(10)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
