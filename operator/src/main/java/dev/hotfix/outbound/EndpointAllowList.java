package dev.hotfix.outbound;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The endpoints the operator's administrator allows outbound calls to even though they are not
 * public ({@code run --allow-endpoint}, chart value {@code outbound.allowEndpoints}): host names
 * (exact, case-insensitive) and address ranges in CIDR notation. An allowed host is also the only
 * kind of host credentials from Secrets are sent to.
 */
public final class EndpointAllowList {
  /** Nothing allowed beyond public addresses. */
  public static final EndpointAllowList NONE = new EndpointAllowList(List.of(), List.of());
  /** The loopback ranges, for the sandbox, the demo, the benchmark and tests. */
  public static final EndpointAllowList LOOPBACK = parse(List.of("127.0.0.0/8", "::1/128"));

  private final List<String> hosts;
  private final List<Cidr> ranges;

  private EndpointAllowList(List<String> hosts, List<Cidr> ranges) {
    this.hosts = List.copyOf(hosts);
    this.ranges = List.copyOf(ranges);
  }

  /**
   * Reads entries such as {@code prometheus.monitoring.svc}, {@code 10.96.0.0/12}, {@code 127.0.0.1}
   * or {@code fd00::/8}.
   *
   * @throws IllegalArgumentException naming the entry that is neither a host name nor a CIDR
   */
  public static EndpointAllowList parse(List<String> entries) {
    List<String> hosts = new ArrayList<>();
    List<Cidr> ranges = new ArrayList<>();
    for (String raw : entries) {
      String entry = raw.strip().toLowerCase(Locale.ROOT);
      Optional<Cidr> range = Cidr.parse(entry);
      if (range.isPresent()) {
        ranges.add(range.get());
      } else if (entry.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")
          && IpLiterals.ipv4(entry).isEmpty() && !entry.matches("[0-9.]+")) {
        hosts.add(entry);
      } else {
        throw new IllegalArgumentException("allowed endpoint '" + raw + "' is neither a host name nor an address "
            + "range such as 10.0.0.0/8 or fd00::/8");
      }
    }
    return new EndpointAllowList(hosts, ranges);
  }

  /** This list plus {@code other}'s entries. */
  public EndpointAllowList and(EndpointAllowList other) {
    List<String> h = new ArrayList<>(hosts);
    h.addAll(other.hosts);
    List<Cidr> r = new ArrayList<>(ranges);
    r.addAll(other.ranges);
    return new EndpointAllowList(h, r);
  }

  /** Whether the host name itself is listed. */
  boolean allowsHost(String host) {
    return hosts.contains(host.toLowerCase(Locale.ROOT));
  }

  /** Whether an address lies in a listed range. */
  boolean allowsAddress(InetAddress address) {
    return ranges.stream().anyMatch(r -> r.contains(address));
  }

  /** Whether {@code host}, resolved to {@code address}, was allowed by name or by range. */
  boolean allows(String host, InetAddress address) {
    return allowsHost(host) || allowsAddress(address);
  }

  @Override
  public String toString() {
    List<String> all = new ArrayList<>(hosts);
    ranges.forEach(r -> all.add(r.toString()));
    return String.join(",", all);
  }

  /** An address range: the first {@code bits} of {@code network}. */
  private record Cidr(byte[] network, int bits) {
    static Optional<Cidr> parse(String text) {
      int slash = text.indexOf('/');
      String address = slash < 0 ? text : text.substring(0, slash);
      Optional<InetAddress> parsed = IpLiterals.parse(address);
      if (parsed.isEmpty()) {
        return Optional.empty();
      }
      byte[] bytes = parsed.get().getAddress();
      int max = bytes.length * 8;
      int bits;
      try {
        bits = slash < 0 ? max : Integer.parseInt(text.substring(slash + 1));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
      return bits < 0 || bits > max ? Optional.empty() : Optional.of(new Cidr(bytes, bits));
    }

    boolean contains(InetAddress address) {
      byte[] a = address.getAddress();
      if (a.length != network.length) {
        return false;
      }
      for (int i = 0; i < bits; i++) {
        int mask = 0x80 >> (i % 8);
        if ((a[i / 8] & mask) != (network[i / 8] & mask)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public String toString() {
      return IpLiterals.format(network) + "/" + bits;
    }
  }
}
