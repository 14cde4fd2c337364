package dev.hotfix.api.v1alpha1;

/** Regular expressions the schema shares (RE2- and Java-compatible: no look-around). */
public final class ApiPatterns {
  private ApiPatterns() {
  }

  /** A DNS-1123 subdomain, as Kubernetes object names. */
  public static final String DNS_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** A DNS-1123 label, as container and check names. */
  public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

  /**
   * A container image reference that pins a tag or a digest (the docker reference grammar:
   * optional registry host[:port]/, lower-case path components, then :tag and/or @digest).
   * An implicit ":latest" is refused: a hot fix must say exactly what it ships.
   */
  public static final String PINNED_IMAGE = "^"
      + "((([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(\\.([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*"
      + "(:[0-9]+)?|\\[[0-9a-fA-F:]+\\](:[0-9]+)?)/)?"
      + "[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*(/[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*)*"
      + "(:[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,127}(@[a-z0-9]+([+._-][a-z0-9]+)*:[0-9a-fA-F]{32,})?"
      + "|@[a-z0-9]+([+._-][a-z0-9]+)*:[0-9a-fA-F]{32,})$";

  /**
   * A repository pattern of a policy's allow-list: the characters of a repository reference
   * (host, port, path) plus the wildcard {@code *}.
   */
  public static final String REPOSITORY_PATTERN = "^[a-zA-Z0-9*]([a-zA-Z0-9._:*/\\[\\]-]*[a-zA-Z0-9*])?$";

  /** A threshold: a comparison operator and a number, e.g. "> 0.05". */
  public static final String THRESHOLD = "^\\s*(>=|<=|==|!=|>|<)\\s*[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*$";

  /**
   * Text without control characters other than tab and line breaks: free text is printed by
   * kubectl, the CLI's live timeline, notifications and the incident report, where escape
   * sequences could repaint a terminal (e.g. fake a "Succeeded") or garble a message.
   */
  public static final String PRINTABLE_TEXT = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$";

  /** A 24-hour clock time, "HH:MM". */
  public static final String CLOCK_TIME = "^([01][0-9]|2[0-3]):[0-5][0-9]$";

  /**
   * An http(s) base URL without user info, query or fragment (no '@', '?' or '#'): credentials
   * belong in Secrets, and the operator builds queries itself.
   */
  public static final String HTTP_URL = "^https?://[^\\s/$.?#@][^\\s?#@]*$";

  /** A duration of whole days, hours or minutes, e.g. "7d", "36h": the recurrence window of a policy. */
  public static final String RECURRENCE_WINDOW = "^[1-9][0-9]{0,4}[dhm]$";

  /** An HTTP request path: '/' then URL path characters; no query, fragment or spaces. */
  public static final String HTTP_PATH = "^/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$";

  /** A dotted path into a JSON document: names and indexes, optionally after "$.". */
  public static final String JSON_FIELD_PATH = "^(\\$\\.)?[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*$";
}
