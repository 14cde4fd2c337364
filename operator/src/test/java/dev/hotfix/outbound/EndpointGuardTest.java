package dev.hotfix.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The SSRF guard (issue 13): base URLs with user info, a query or a fragment are refused; every
 * non-public address form (loopback in decimal, octal and hex, link-local, private, IPv6, mapped
 * IPv4) is refused unless allowed; a name is resolved once and the checked address pinned. Seen
 * failing with the guard removed: with {@code special()} answering empty for every address the
 * refusal tests fail, and with the query/fragment/user-info checks removed from {@code baseUrl}
 * the URL tests fail.
 */
class EndpointGuardTest {
  private final EndpointGuard guard = new EndpointGuard(EndpointAllowList.NONE, host -> {
    throw new java.net.UnknownHostException(host);
  });

  @ParameterizedTest
  @ValueSource(strings = {
      "http://127.0.0.1:18991/internal/admin/users?verbose=1#",
      "http://prometheus:9090/api?x=1",
      "http://prometheus:9090/#frag",
      "http://admin:secret@prometheus:9090",
      "ftp://prometheus:9090",
      "file:///etc/passwd"})
  void baseUrlsWithQueryFragmentUserInfoOrAnotherSchemeAreRefused(String url) {
    assertThatThrownBy(() -> EndpointGuard.baseUrl(url, "spec.prometheus.url"))
        .isInstanceOf(OutboundRefused.class)
        .hasMessageStartingWith("spec.prometheus.url ")
        .hasMessageNotContaining("secret");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "http://127.0.0.1:9090", "http://2130706433:9090", "http://0x7f000001", "http://0177.0.0.1",
      "http://0x7f.1", "http://127.1", "http://[::1]:9090", "http://0.0.0.0", "http://0",
      "http://169.254.169.254/latest/meta-data", "http://[fe80::1]", "http://10.0.0.1", "http://172.16.5.4",
      "http://192.168.1.1", "http://[fd00::1]", "http://[::ffff:127.0.0.1]", "http://[::ffff:10.0.0.1]",
      "http://100.64.0.1"})
  void nonPublicAddressesAreRefusedInEveryForm(String url) {
    // java.net.URI reads no host in "127.1" or "0x7f.1" (not RFC 2396 host names): refused as such
    assertThatThrownBy(() -> guard.pin(URI.create(url), "the Prometheus URL"))
        .isInstanceOf(OutboundRefused.class)
        .message().containsAnyOf("run --allow-endpoint", "has no host name");
  }

  @Test
  void anAllowedRangeOrHostIsCalledAndTrustedWithCredentials() throws Exception {
    EndpointGuard allowing = new EndpointGuard(EndpointAllowList.parse(List.of("127.0.0.0/8", "prometheus.monitoring")),
        host -> new InetAddress[] {InetAddress.getByAddress(host, new byte[] {10, 96, 0, 7})});

    PinnedEndpoint decimal = allowing.pin(URI.create("http://2130706433:9090/prom/"), "url");
    PinnedEndpoint named = allowing.pin(URI.create("https://prometheus.monitoring/"), "url");

    assertThat(decimal.address().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(decimal.trusted()).isTrue();
    assertThat(named.address().getHostAddress()).isEqualTo("10.96.0.7");
    assertThat(named.port()).isEqualTo(443);
    assertThat(named.trusted()).isTrue();
  }

  @Test
  void aPublicAddressIsCalledButNotTrustedWithCredentials() throws Exception {
    EndpointGuard open = new EndpointGuard(EndpointAllowList.NONE,
        host -> new InetAddress[] {InetAddress.getByAddress(host, new byte[] {93, (byte) 184, (byte) 216, 34})});

    PinnedEndpoint endpoint = open.pin(URI.create("https://metrics.example.com"), "url");

    assertThat(endpoint.trusted()).isFalse();
  }

  @Test
  void aNameIsResolvedOnceAndItsCheckedAddressPinned() throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    // a rebinding DNS: public on the first answer, loopback on every later one
    EndpointGuard rebinding = new EndpointGuard(EndpointAllowList.NONE, host -> new InetAddress[] {
        lookups.incrementAndGet() == 1 ? InetAddress.getByAddress(host, new byte[] {93, (byte) 184, (byte) 216, 34})
            : InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})});

    PinnedEndpoint endpoint = rebinding.pin(URI.create("http://rebind.example.com"), "url");

    assertThat(lookups).hasValue(1);
    assertThat(endpoint.address().getHostAddress()).isEqualTo("93.184.216.34");
    assertThat(endpoint.host()).isEqualTo("rebind.example.com");
    assertThatThrownBy(() -> rebinding.pin(URI.create("http://rebind.example.com"), "url"))
        .hasMessageContaining("resolves to 127.0.0.1, which is a loopback address");
  }

  @Test
  void aNameResolvingToAPrivateAddressIsRefusedNamingTheAddress() throws Exception {
    EndpointGuard internal = new EndpointGuard(EndpointAllowList.NONE,
        host -> new InetAddress[] {InetAddress.getByAddress(host, new byte[] {(byte) 169, (byte) 254, (byte) 169,
            (byte) 254})});

    assertThatThrownBy(() -> internal.pin(URI.create("http://metadata.internal"), "the slack URL"))
        .hasMessage("the slack URL: metadata.internal resolves to 169.254.169.254, which is a link-local address; "
            + "the operator calls it only when allowed (run --allow-endpoint, chart value outbound.allowEndpoints)");
  }

  @Test
  void requestTargetsAreBuiltFromEncodedParts() throws Exception {
    PinnedEndpoint endpoint = new PinnedEndpoint(false, "prometheus", 9090, InetAddress.getLoopbackAddress(),
        "/prom/", true);

    assertThat(endpoint.target("/api/v1/query", java.util.Map.of("query", "up{job=\"a b\"} # x&y=1\r\n")))
        .isEqualTo("/prom/api/v1/query?query=up%7Bjob%3D%22a%20b%22%7D%20%23%20x%26y%3D1%0D%0A");
  }

  @Test
  void allowListEntriesThatAreNeitherHostsNorRangesAreRefused() {
    assertThatThrownBy(() -> EndpointAllowList.parse(List.of("10.0.0.0/33")))
        .hasMessageContaining("'10.0.0.0/33' is neither a host name nor an address range");
    assertThatThrownBy(() -> EndpointAllowList.parse(List.of("http://x")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
