package dev.hotfix.outbound;

/**
 * How the operator calls out (Prometheus queries, notifications).
 *
 * @param allowed the non-public endpoints allowed, and the only ones credentials go to ({@code --allow-endpoint})
 * @param maxBodyBytes the largest answer read from any endpoint ({@code --max-response-bytes})
 * @param workersPerEndpoint measurements run against one endpoint at the same time at most
 * @param queuePerEndpoint measurements waiting for one endpoint at most; past it a measurement is
 *     an error ("endpoint busy") instead of waiting
 */
public record OutboundSettings(EndpointAllowList allowed, long maxBodyBytes, int workersPerEndpoint,
    int queuePerEndpoint) {
  /** 4 MiB: a scalar or one-series answer is a few hundred bytes; this leaves room for verbose errors. */
  public static final long DEFAULT_MAX_BODY_BYTES = 4L * 1024 * 1024;

  /** Public endpoints only, 4 MiB answers, two workers and 32 waiting measurements per endpoint. */
  public static OutboundSettings defaults() {
    return new OutboundSettings(EndpointAllowList.NONE, DEFAULT_MAX_BODY_BYTES, 2, 32);
  }

  public OutboundSettings withAllowed(EndpointAllowList list) {
    return new OutboundSettings(list, maxBodyBytes, workersPerEndpoint, queuePerEndpoint);
  }

  public OutboundSettings withMaxBodyBytes(long bytes) {
    return new OutboundSettings(allowed, bytes, workersPerEndpoint, queuePerEndpoint);
  }

  /** The guard for these settings, with the JVM's resolver. */
  public EndpointGuard guard() {
    return new EndpointGuard(allowed);
  }
}
