package dev.hotfix.health.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotfix.health.MetricSourceException;
import java.io.IOException;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Reads the answer of Prometheus' instant-query API ({@code /api/v1/query}) as one number, for the
 * operator's provider ({@link PrometheusApi}) and the sandbox's own client alike. Messages are short
 * and safe for status: they name the failure and Prometheus' error type, never the body.
 */
public final class PrometheusAnswer {
  /** Prometheus' own error types: a known word may be named, anything else the server says is not. */
  private static final Set<String> ERROR_TYPES = Set.of("bad_data", "execution", "timeout", "canceled", "internal",
      "unavailable", "not_found");
  private static final ObjectMapper JSON = new ObjectMapper();

  private PrometheusAnswer() {
  }

  /**
   * The value of the single sample or scalar an answer holds.
   *
   * @param status the HTTP status code
   * @param body the answer's body
   * @param where the endpoint as messages name it (host and port, no credentials)
   * @return the value (possibly NaN or infinite); empty for an empty vector, which is "no data", not zero
   * @throws MetricSourceException when the answer is an error, not Prometheus' JSON, several series, or
   *     neither a scalar nor an instant vector
   */
  public static OptionalDouble value(int status, byte[] body, String where) {
    JsonNode answer;
    try {
      answer = JSON.readTree(body);
    } catch (IOException e) {
      throw new MetricSourceException("HTTP " + status + " from Prometheus at " + where + " with a body that is not "
          + "its JSON API", false);
    }
    if (answer == null || !"success".equals(answer.path("status").asText())) {
      String errorType = answer == null ? "" : answer.path("errorType").asText();
      // 400 bad_data is Prometheus refusing the PromQL itself (parse error, wrong types).
      boolean rejected = status == 400 || "bad_data".equals(errorType);
      throw new MetricSourceException("HTTP " + status + (ERROR_TYPES.contains(errorType) ? " " + errorType : "")
          + " from Prometheus at " + where, rejected);
    }
    JsonNode data = answer.path("data");
    JsonNode result = data.path("result");
    return switch (data.path("resultType").asText()) {
      case "scalar" -> OptionalDouble.of(sample(result));
      case "vector" -> {
        if (result.isEmpty()) {
          yield OptionalDouble.empty();
        }
        if (result.size() > 1) {
          throw new MetricSourceException("the query returned " + result.size() + " series where one is expected: "
              + "aggregate it, e.g. sum(...) or sum by () (...)", false);
        }
        yield OptionalDouble.of(sample(result.get(0).path("value")));
      }
      default -> throw new MetricSourceException("the query returned a " + data.path("resultType").asText()
          + ", not a scalar or an instant vector", true);
    };
  }

  /** A {@code [time, "value"]} pair's value; Prometheus spells special floats NaN, +Inf and -Inf. */
  private static double sample(JsonNode pair) {
    String text = pair.path(1).asText();
    try {
      return switch (text) {
        case "NaN" -> Double.NaN;
        case "+Inf" -> Double.POSITIVE_INFINITY;
        case "-Inf" -> Double.NEGATIVE_INFINITY;
        default -> Double.parseDouble(text);
      };
    } catch (NumberFormatException e) {
      throw new MetricSourceException("Prometheus answered a sample that is not a number", false);
    }
  }
}
