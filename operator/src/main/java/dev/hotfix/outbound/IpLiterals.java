package dev.hotfix.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Address literals read the way the C resolver reads them ({@code inet_aton}): besides
 * {@code 127.0.0.1}, also {@code 2130706433}, {@code 0x7f.1} and {@code 0177.0.0.1} are loopback,
 * so a host that looks like a name to a URL parser cannot slip past the address checks. IPv6
 * literals may be bracketed, as in a URL.
 */
final class IpLiterals {
  private IpLiterals() {
  }

  /** The address {@code host} spells, or empty when it is a name to resolve. */
  static Optional<InetAddress> parse(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (h.contains(":")) {
      try {
        // a literal with ':' is never looked up in DNS
        return Optional.of(InetAddress.getByName(h));
      } catch (UnknownHostException e) {
        return Optional.empty();
      }
    }
    return ipv4(h).map(bytes -> {
      try {
        return InetAddress.getByAddress(bytes);
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /**
   * The four bytes of an {@code inet_aton} literal: one to four parts, each decimal, octal
   * (leading 0) or hexadecimal (0x), the last part filling the remaining bytes.
   */
  static Optional<byte[]> ipv4(String host) {
    String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    String[] parts = h.split("\\.", -1);
    if (parts.length < 1 || parts.length > 4) {
      return Optional.empty();
    }
    long[] values = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      Optional<Long> v = number(parts[i]);
      if (v.isEmpty()) {
        return Optional.empty();
      }
      values[i] = v.get();
    }
    long address = 0;
    for (int i = 0; i < parts.length - 1; i++) {
      if (values[i] > 0xff) {
        return Optional.empty();
      }
      address |= values[i] << (8 * (3 - i));
    }
    long last = values[parts.length - 1];
    if (last >= 1L << (8 * (5 - parts.length))) {
      return Optional.empty();
    }
    address |= last;
    return Optional.of(new byte[] {(byte) (address >> 24), (byte) (address >> 16), (byte) (address >> 8),
        (byte) address});
  }

  private static Optional<Long> number(String part) {
    try {
      if (part.matches("0[xX][0-9a-fA-F]{0,8}")) {
        return Optional.of(part.length() == 2 ? 0L : Long.parseLong(part.substring(2), 16));
      }
      if (part.matches("0[0-7]{1,11}")) {
        return Optional.of(Long.parseLong(part, 8));
      }
      if (part.matches("[1-9][0-9]{0,9}|0")) {
        return Optional.of(Long.parseLong(part));
      }
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** An address for messages and CIDR entries. */
  static String format(byte[] address) {
    try {
      return InetAddress.getByAddress(address).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
