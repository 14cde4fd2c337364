package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * What the front answers: a JSON (or plain text) body with a status code, or a watch the HTTP
 * layer streams (the store's watch listener, with the request that opened it).
 *
 * @param code HTTP status code
 * @param contentType the body's media type
 * @param body the body, may be empty
 * @param watch the store's answer carrying the watch listener, or null
 * @param watchRequest the request as handed to the store, or null
 */
public record ApiResponse(int code, String contentType, String body, MockResponse watch,
    RecordedRequest watchRequest) {

  private static final String JSON = "application/json";

  /** A JSON answer. */
  public static ApiResponse json(int code, JsonNode body) {
    return new ApiResponse(code, JSON, body.toString(), null, null);
  }

  /** A plain-text answer ({@code /healthz}). */
  public static ApiResponse text(int code, String body) {
    return new ApiResponse(code, "text/plain; charset=utf-8", body, null, null);
  }

  /** A refusal, as a Kubernetes {@code Status}. */
  public static ApiResponse error(ApiError error) {
    return json(error.code(), error.toStatus());
  }

  /** A watch to stream. */
  public static ApiResponse watch(RecordedRequest request, MockResponse storeAnswer) {
    return new ApiResponse(200, JSON, "", storeAnswer, request);
  }

  /** Whether this answer is a watch stream. */
  public boolean isWatch() {
    return watch != null;
  }
}
