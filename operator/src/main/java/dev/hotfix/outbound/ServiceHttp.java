package dev.hotfix.outbound;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * GETs of in-cluster Services for http checks. The URL is never taken from the user: it is built
 * from a Service name and the Hotfix's namespace ({@code http://<service>.<namespace>.svc:<port>}),
 * both DNS labels, so no other namespace or host can be named. The address the name resolves to
 * may be private or shared (a ClusterIP); loopback, link-local (cloud metadata), multicast and unspecified
 * addresses are refused unless allowed ({@code --allow-endpoint}). No credentials are ever sent.
 */
public final class ServiceHttp {
  private static final String LABEL = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";

  private final EndpointAllowList allowed;
  private final ServiceAddresses addresses;
  private final OutboundHttp http;
  private final long maxBodyBytes;

  public ServiceHttp(EndpointAllowList allowed, ServiceAddresses addresses, OutboundHttp http, long maxBodyBytes) {
    this.allowed = allowed;
    this.addresses = addresses;
    this.http = http;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** The host name of a Service: {@code <service>.<namespace>.svc}. */
  public static String host(String service, String namespace) {
    return service + "." + namespace + ".svc";
  }

  /**
   * GETs {@code path} of the Service within {@code timeout}.
   *
   * @throws OutboundRefused when the Service name is not a name of the namespace, or its address may not be called
   * @throws OutboundFailure when the exchange does not complete
   */
  public OutboundHttp.Response get(String service, String namespace, int port, String path, Duration timeout) {
    if (service == null || !service.matches(LABEL) || namespace == null || !namespace.matches(LABEL)) {
      throw new OutboundRefused("service " + service + " is not the name of a Service in namespace " + namespace
          + ": http checks call Services of the Hotfix's namespace only");
    }
    if (port < 1 || port > 65535 || path == null || !path.startsWith("/") || path.contains("?") || path.contains("#")) {
      throw new OutboundRefused("port " + port + " and path " + path + " do not make a request to a Service");
    }
    String host = host(service, namespace);
    InetSocketAddress address;
    try {
      address = addresses.resolve(host, port);
    } catch (UnknownHostException e) {
      throw new OutboundRefused("host " + host + " does not resolve");
    }
    if (address.isUnresolved()) {
      throw new OutboundRefused("host " + host + " does not resolve");
    }
    Optional<String> special = EndpointGuard.special(address.getAddress())
        .filter(kind -> !kind.startsWith("private") && !kind.startsWith("shared"));
    if (special.isPresent() && !allowed.allowsAddress(address.getAddress())) {
      throw new OutboundRefused(host + " resolves to " + address.getAddress().getHostAddress() + ", which is a "
          + special.get() + " address; the operator calls it only when allowed (run --allow-endpoint, chart value "
          + "outbound.allowEndpoints)");
    }
    PinnedEndpoint endpoint = new PinnedEndpoint(false, host, address.getPort(), address.getAddress(), "", false);
    return http.exchange(endpoint, "GET", endpoint.target(path, Map.of()), Map.of("Accept", "application/json, */*"),
        null, new OutboundHttp.Limits(timeout, maxBodyBytes));
  }
}
