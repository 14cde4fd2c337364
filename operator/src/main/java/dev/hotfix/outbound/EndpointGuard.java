package dev.hotfix.outbound;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * The SSRF guard every outbound call passes: the URL must be a plain http(s) base (no user info,
 * query or fragment), and the address it resolves to must be public or allowed by the
 * {@link EndpointAllowList}. The name is resolved once, here; the call then connects to the
 * checked address ({@link PinnedEndpoint}), so a DNS answer that changes in between (rebinding)
 * cannot redirect it.
 */
public final class EndpointGuard {
  /** Resolves a host name; the JVM's resolver in production, a table in tests. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private final EndpointAllowList allowed;
  private final Resolver resolver;

  public EndpointGuard(EndpointAllowList allowed, Resolver resolver) {
    this.allowed = allowed;
    this.resolver = resolver;
  }

  /** With the JVM's resolver. */
  public EndpointGuard(EndpointAllowList allowed) {
    this(allowed, InetAddress::getAllByName);
  }

  /**
   * Reads {@code text} as the base URL of an endpoint, checking only its form (no DNS).
   *
   * @param what names the URL's origin in messages, e.g. "spec.prometheus.url"
   * @throws OutboundRefused saying what to fix, without repeating user info
   */
  public static URI baseUrl(String text, String what) {
    URI url;
    try {
      url = new URI(text.strip());
    } catch (URISyntaxException e) {
      throw new OutboundRefused(what + " is not a valid URL");
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new OutboundRefused(what + " must be an http:// or https:// URL");
    }
    if (url.getRawUserInfo() != null) {
      throw new OutboundRefused(what + " must not carry user info (user:password@): put credentials in a Secret");
    }
    if (url.getHost() == null) {
      throw new OutboundRefused(what + " has no host name");
    }
    if (url.getRawQuery() != null) {
      throw new OutboundRefused(what + " must not carry a query (?...): the operator builds the query itself");
    }
    if (url.getRawFragment() != null) {
      throw new OutboundRefused(what + " must not carry a fragment (#...)");
    }
    return url;
  }

  /**
   * Resolves {@code url}'s host once and checks the address.
   *
   * @throws OutboundRefused when the URL's form is refused, the name does not resolve, or its
   *     address is not public and not allowed
   */
  public PinnedEndpoint pin(URI url, String what) {
    baseUrl(url.toString(), what);
    String host = url.getHost();
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    boolean https = "https".equalsIgnoreCase(url.getScheme());
    int port = url.getPort() >= 0 ? url.getPort() : https ? 443 : 80;
    InetAddress[] candidates;
    Optional<InetAddress> literal = IpLiterals.parse(bare);
    if (literal.isPresent()) {
      candidates = new InetAddress[] {literal.get()};
    } else {
      try {
        candidates = resolver.resolve(bare);
      } catch (UnknownHostException e) {
        throw new OutboundRefused(what + ": host " + bare + " does not resolve");
      }
    }
    String refusal = what + ": host " + bare + " has no address";
    for (InetAddress address : candidates) {
      boolean trusted = allowed.allows(bare, address);
      Optional<String> special = special(address);
      if (trusted || special.isEmpty()) {
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        return new PinnedEndpoint(https, bare, port, address, path, trusted);
      }
      refusal = what + ": " + bare + (literal.isPresent() ? "" : " resolves to " + address.getHostAddress() + ", which")
          + " is a " + special.get() + " address; the operator calls it only when allowed (run --allow-endpoint, "
          + "chart value outbound.allowEndpoints)";
    }
    throw new OutboundRefused(refusal);
  }

  /** The kind of non-public address this is, or empty for a public one. */
  static Optional<String> special(InetAddress address) {
    byte[] b = address.getAddress();
    if (address.isAnyLocalAddress() || address instanceof Inet4Address && (b[0] & 0xff) == 0) {
      return Optional.of("unspecified");
    }
    if (address.isLoopbackAddress()) {
      return Optional.of("loopback");
    }
    if (address.isLinkLocalAddress()) {
      return Optional.of("link-local");
    }
    if (address.isMulticastAddress()) {
      return Optional.of("multicast");
    }
    if (address instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      if (address.isSiteLocalAddress()) {
        return Optional.of("private");
      }
      if (first == 100 && (second & 0xc0) == 64) {
        return Optional.of("shared (carrier-grade NAT)");
      }
      if (first >= 240) {
        return Optional.of("reserved");
      }
      return Optional.empty();
    }
    Inet6Address v6 = (Inet6Address) address;
    if (v6.isIPv4CompatibleAddress() || isIpv4Mapped(b)) {
      return Optional.of("IPv4-mapped IPv6");
    }
    if ((b[0] & 0xfe) == 0xfc || v6.isSiteLocalAddress()) {
      return Optional.of("private (unique local)");
    }
    return Optional.empty();
  }

  private static boolean isIpv4Mapped(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return b.length == 16 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
  }
}
