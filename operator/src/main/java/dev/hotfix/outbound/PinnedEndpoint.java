package dev.hotfix.outbound;

import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A checked endpoint: the host name as written (for the Host header and TLS server name) and the
 * one address that was checked, which is the address connected to (no second DNS answer can
 * redirect the call).
 *
 * @param https whether to speak TLS
 * @param host the host as written in the URL
 * @param port the port, the scheme's default filled in
 * @param address the checked address
 * @param basePath the base URL's path without a trailing slash ("" for none)
 * @param trusted whether the administrator allowed it by name or range: only then are credentials sent
 */
public record PinnedEndpoint(boolean https, String host, int port, InetAddress address, String basePath,
    boolean trusted) {

  /** {@code host:port}, for messages and for keying per-endpoint resources. */
  public String authority() {
    return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
  }

  /**
   * The request target for {@code path} under the base path with {@code query} percent-encoded
   * part by part (never concatenated from user text).
   */
  public String target(String path, Map<String, String> query) {
    String q = query.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
        .collect(Collectors.joining("&"));
    String p = path.isEmpty() ? basePath : basePath.replaceAll("/+$", "") + path;
    return (p.isEmpty() ? "/" : p) + (q.isEmpty() ? "" : "?" + q);
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
