package dev.hotfix.outbound;

/**
 * An outbound exchange that did not complete. The message is a fixed, short description
 * ("connection refused", "no complete answer within 5 s", "body over 4 MiB cap"): never the
 * peer's words, so nothing a server sends reaches status, Events or reports.
 */
public final class OutboundFailure extends RuntimeException {
  public OutboundFailure(String message) {
    super(message, null, false, false);
  }
}
