package dev.hotfix.health;

/**
 * A metric source could not answer with one number: unreachable, too slow, an HTTP error, a
 * refused query, or several series. Its message is short and safe for status: it never holds
 * a response body beyond a trimmed error text, nor credentials.
 */
public class MetricSourceException extends RuntimeException {
  private final boolean queryRejected;

  /**
   * @param message what went wrong, for status
   * @param queryRejected whether the source refused the query itself (bad PromQL): asking
   *     again will not help
   */
  public MetricSourceException(String message, boolean queryRejected) {
    super(message);
    this.queryRejected = queryRejected;
  }

  /** Whether the query itself was refused (bad PromQL), as opposed to a transient failure. */
  public boolean isQueryRejected() {
    return queryRejected;
  }
}
