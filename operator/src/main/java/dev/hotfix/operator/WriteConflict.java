package dev.hotfix.operator;

/**
 * Someone wrote the object between our read and our write (HTTP 409). The reconciler re-reads
 * and decides again; it never retries the same write blindly.
 */
public final class WriteConflict extends Exception {
  public WriteConflict(String message) {
    super(message);
  }
}
