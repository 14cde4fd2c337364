package dev.hotfix.sandbox.api;

/**
 * One request the API server answered, as its audit log would show it: who sent it (the
 * {@code User-Agent}), what it asked, the body it sent for a write, and the status code. A request
 * the client gave up on (a timeout) is still answered, and still seen here.
 *
 * @param userAgent the client's {@code User-Agent}, empty when it sent none
 * @param method {@code GET}, {@code PATCH}, ...
 * @param path the request path, without query
 * @param contentType the request's {@code Content-Type}, may be null
 * @param body the request body as sent (UTF-8; empty for reads and watches)
 * @param code the status code answered
 */
public record AnsweredRequest(String userAgent, String method, String path, String contentType, String body,
    int code) {

  /** Whether it asked for a change (anything but GET), whatever the answer. */
  public boolean isWrite() {
    return !"GET".equals(method);
  }
}
