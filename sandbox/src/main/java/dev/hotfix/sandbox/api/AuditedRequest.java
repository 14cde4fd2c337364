package dev.hotfix.sandbox.api;

/**
 * One request to the API server, as its audit log would show it: who sent it (the
 * {@code User-Agent}), what it asked, the body it sent, and the status code once answered. A
 * request the client gave up on (a timeout) is still answered, and still seen here.
 *
 * @param userAgent the client's {@code User-Agent}, empty when it sent none
 * @param method {@code GET}, {@code PATCH}, ...
 * @param path the request path, without query
 * @param contentType the request's {@code Content-Type}, may be null
 * @param body the request body as sent (UTF-8; empty for reads and watches)
 * @param code the status code answered; {@link #RECEIVED} when seen on arrival, before any processing
 * @param dryRun it was sent with {@code dryRun=All}: admitted, answered, never stored
 */
public record AuditedRequest(String userAgent, String method, String path, String contentType, String body,
    int code, boolean dryRun) {
  /** The code of a request seen on arrival. */
  public static final int RECEIVED = 0;

  /** Whether it asked for a change (anything but GET, and not a dry run), whatever the answer. */
  public boolean isWrite() {
    return !"GET".equals(method) && !dryRun;
  }
}
