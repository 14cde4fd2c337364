package dev.hotfix.outbound;

/**
 * An outbound call the operator will not make: a base URL with user info, a query or a fragment,
 * a scheme other than http(s), or an address that is not public and not allowed. The message says
 * what to fix and never repeats credentials.
 */
public final class OutboundRefused extends IllegalArgumentException {
  public OutboundRefused(String message) {
    super(message);
  }
}
