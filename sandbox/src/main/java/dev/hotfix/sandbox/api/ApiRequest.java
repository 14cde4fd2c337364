package dev.hotfix.sandbox.api;

import java.util.Map;

/**
 * One HTTP request as the front sees it, independent of the HTTP server.
 *
 * @param method {@code GET}, {@code POST}, ...
 * @param path the decoded path, without query
 * @param query the decoded query parameters (the first value of each)
 * @param accept the {@code Accept} header, may be null
 * @param contentType the {@code Content-Type} header, may be null
 * @param body the body as text, empty when there is none
 * @param user who is asking (authenticated, impersonation applied)
 */
public record ApiRequest(String method, String path, Map<String, String> query, String accept, String contentType,
    String body, UserInfo user) {

  /** Whether the client asks to watch ({@code ?watch=true}). */
  public boolean isWatch() {
    return "true".equals(query.get("watch")) || "1".equals(query.get("watch"));
  }
}
