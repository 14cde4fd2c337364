package dev.hotfix.sandbox.app;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of a Prometheus text endpoint, read back into samples for assertions. */
public record ScrapedMetrics(List<Sample> samples) {

  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** One line of the exposition. */
  public record Sample(String name, Map<String, String> labels, double value) {
    boolean matches(String wantedName, Map<String, String> wantedLabels) {
      return name.equals(wantedName) && labels.entrySet().containsAll(wantedLabels.entrySet());
    }
  }

  /** Scrapes {@code uri} once. */
  public static ScrapedMetrics scrape(URI uri) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("scrape of " + uri + " answered " + response.statusCode());
    }
    return parse(response.body());
  }

  static ScrapedMetrics parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      String series = line.substring(0, space);
      double value = Double.parseDouble(line.substring(space + 1));
      int brace = series.indexOf('{');
      Map<String, String> labels = new LinkedHashMap<>();
      if (brace >= 0) {
        Matcher m = LABEL.matcher(series.substring(brace));
        while (m.find()) {
          labels.put(m.group(1), m.group(2));
        }
      }
      samples.add(new Sample(brace >= 0 ? series.substring(0, brace) : series, labels, value));
    }
    return new ScrapedMetrics(samples);
  }

  /** The sum of every sample named {@code name} carrying all of {@code labels}. */
  public double sum(String name, Map<String, String> labels) {
    return samples.stream().filter(s -> s.matches(name, labels)).mapToDouble(Sample::value).sum();
  }

  /** Whether any sample named {@code name} carries all of {@code labels}. */
  public boolean has(String name, Map<String, String> labels) {
    return samples.stream().anyMatch(s -> s.matches(name, labels));
  }
}
