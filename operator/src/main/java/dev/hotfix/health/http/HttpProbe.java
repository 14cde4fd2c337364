package dev.hotfix.health.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotfix.api.v1alpha1.RollbackCause;
import dev.hotfix.health.HealthCheck;
import dev.hotfix.health.Measurement;
import dev.hotfix.health.RevisionUnderTest;
import dev.hotfix.outbound.OutboundFailure;
import dev.hotfix.outbound.OutboundHttp;
import dev.hotfix.outbound.OutboundRefused;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Supplier;

/**
 * The http check provider: one GET of the target's Service, judged on its status code and
 * optionally one value of its JSON body. The expected answer is PASS; another status code, a body
 * that is not JSON, lacks the path or holds another value is FAIL (the service answered, wrongly);
 * no answer (refused connection, timeout, a refused address) is ERROR, counted against errorLimit
 * like an unreachable Prometheus. There is no NO_DATA: a service either answers or it does not.
 *
 * @param name the check's name
 * @param url the URL asked, for messages
 * @param expectStatus the status code that passes
 * @param jsonPath a dotted path into the body ({@code status}, {@code $.checks.0.state}), if any
 * @param expectValue the text expected at {@code jsonPath}
 * @param get makes the request (bounded by its own timeout)
 */
public record HttpProbe(String name, String url, int expectStatus, Optional<String> jsonPath,
    Optional<String> expectValue, Supplier<OutboundHttp.Response> get) implements HealthCheck {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public RollbackCause cause() {
    return RollbackCause.Check;
  }

  @Override
  public Measurement measure(RevisionUnderTest revision) {
    return measureAt(revision.now());
  }

  /** Takes one measurement now; blocks at most for the request's timeout. */
  public Measurement measureAt(Instant at) {
    OutboundHttp.Response answer;
    try {
      answer = get.get();
    } catch (OutboundRefused e) {
      return result(Measurement.Result.ERROR, "GET " + url + " refused: " + e.getMessage(), at, OptionalDouble.empty());
    } catch (OutboundFailure e) {
      return result(Measurement.Result.ERROR, "GET " + url + ": " + e.getMessage(), at, OptionalDouble.empty());
    }
    OptionalDouble status = OptionalDouble.of(answer.status());
    if (answer.status() != expectStatus) {
      return result(Measurement.Result.FAIL, "GET " + url + ": " + answer.status() + " (expected " + expectStatus
          + ")", at, status);
    }
    if (jsonPath.isEmpty()) {
      return result(Measurement.Result.PASS, "GET " + url + ": " + answer.status(), at, status);
    }
    Optional<String> found;
    try {
      found = valueAt(JSON.readTree(answer.body()), jsonPath.get());
    } catch (IOException e) {
      return result(Measurement.Result.FAIL, "GET " + url + ": " + answer.status() + ", body is not JSON (expected "
          + jsonPath.get() + " = " + expectValue.orElse("") + ")", at, status);
    }
    if (found.isEmpty()) {
      return result(Measurement.Result.FAIL, "GET " + url + ": " + answer.status() + ", no value at " + jsonPath.get()
          + " (expected " + expectValue.orElse("") + ")", at, status);
    }
    if (!found.get().equals(expectValue.orElse(""))) {
      return result(Measurement.Result.FAIL, "GET " + url + ": " + answer.status() + ", " + jsonPath.get() + " = "
          + shorten(found.get()) + " (expected " + expectValue.orElse("") + ")", at, status);
    }
    return result(Measurement.Result.PASS, "GET " + url + ": " + answer.status() + ", " + jsonPath.get() + " = "
        + shorten(found.get()), at, status);
  }

  /** The scalar at a dotted path ({@code a.b.0.c}, optionally after {@code $.}) as text; empty when absent. */
  static Optional<String> valueAt(JsonNode root, String path) {
    JsonNode node = root;
    String relative = path.startsWith("$.") ? path.substring(2) : path;
    for (String step : relative.split("\\.")) {
      if (node == null) {
        return Optional.empty();
      }
      node = node.isArray() && step.matches("[0-9]+") ? node.get(Integer.parseInt(step)) : node.get(step);
    }
    if (node == null || node.isMissingNode() || node.isNull() || node.isContainerNode()) {
      return Optional.empty();
    }
    return Optional.of(node.asText());
  }

  private static String shorten(String text) {
    return text.length() <= 64 ? text : text.substring(0, 64) + "...";
  }

  private static Measurement result(Measurement.Result r, String message, Instant at, OptionalDouble status) {
    return new Measurement(r, status, message, at);
  }
}
