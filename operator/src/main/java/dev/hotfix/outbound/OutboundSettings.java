package dev.hotfix.outbound;

/**
 * How the operator calls out (Prometheus queries, notifications).
 *
 * @param allowed the non-public endpoints allowed, and the only ones credentials go to ({@code --allow-endpoint})
 * @param maxBodyBytes the largest answer read from any endpoint ({@code --max-response-bytes})
 * @param workersPerEndpoint measurements run against one endpoint at the same time at most
 * @param queuePerEndpoint measurements waiting for one endpoint at most; past it a measurement is
 *     an error ("endpoint busy") instead of waiting
 * @param services where http checks reach in-cluster Services (the cluster's DNS; the sandbox maps them to loopback)
 */
public record OutboundSettings(EndpointAllowList allowed, long maxBodyBytes, int workersPerEndpoint,
    int queuePerEndpoint, ServiceAddresses services) {
  /** 4 MiB: a scalar or one-series answer is a few hundred bytes; this leaves room for verbose errors. */
  public static final long DEFAULT_MAX_BODY_BYTES = 4L * 1024 * 1024;

  /** Public endpoints only, 4 MiB answers, two workers and 32 waiting measurements per endpoint, Services by DNS. */
  public static OutboundSettings defaults() {
    return new OutboundSettings(EndpointAllowList.NONE, DEFAULT_MAX_BODY_BYTES, 2, 32, ServiceAddresses.dns());
  }

  public OutboundSettings withAllowed(EndpointAllowList list) {
    return new OutboundSettings(list, maxBodyBytes, workersPerEndpoint, queuePerEndpoint, services);
  }

  public OutboundSettings withMaxBodyBytes(long bytes) {
    return new OutboundSettings(allowed, bytes, workersPerEndpoint, queuePerEndpoint, services);
  }

  /** These settings with http checks reaching Services at {@code addresses} (the sandbox's seam). */
  public OutboundSettings withServiceAddresses(ServiceAddresses addresses) {
    return new OutboundSettings(allowed, maxBodyBytes, workersPerEndpoint, queuePerEndpoint, addresses);
  }

  /** The guard for these settings, with the JVM's resolver. */
  public EndpointGuard guard() {
    return new EndpointGuard(allowed);
  }
}
