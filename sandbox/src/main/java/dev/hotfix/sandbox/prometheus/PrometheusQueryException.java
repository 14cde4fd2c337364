package dev.hotfix.sandbox.prometheus;

/**
 * A query Prometheus could not answer with one number: unreachable, timed out, refused the
 * PromQL, or returned several series. Distinct from "no data", which is an empty result.
 */
public class PrometheusQueryException extends RuntimeException {

  /** A failure described by {@code message}, caused by {@code cause}. */
  public PrometheusQueryException(String message, Throwable cause) {
    super(message, cause);
  }
}
