package dev.hotfix.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hotfix.outbound.MisbehavingServer.Behaviour;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One outbound exchange is bounded as a whole (issue 13): a server that sends headers and then
 * one byte every 2 s is cut off at the deadline, a body far over the cap is abandoned after the
 * cap (the heap never holds it), the connection goes to the pinned address with the name in the
 * Host header, and a header value with a line break never reaches the wire. Seen failing with
 * the guards removed: without the deadline watchdog the slowloris exchange hangs (the await
 * times out); without the byte count the huge body runs the test JVM out of heap; without the
 * header check the injected header reaches the server.
 */
class OutboundHttpTest {
  private static final OutboundHttp.Limits LIMITS = new OutboundHttp.Limits(Duration.ofSeconds(3), 4L * 1024 * 1024);
  private final OutboundHttp http = OutboundHttp.withDefaultTrust();

  @Test
  void aSlowlorisIsCutOffAtTheWholeExchangeDeadline() {
    try (MisbehavingServer server = MisbehavingServer.start(Behaviour.SLOWLORIS)) {
      PinnedEndpoint endpoint = loopback(server.port());

      assertThatThrownBy(() -> http.exchange(endpoint, "GET", "/api/v1/query?query=up", Map.of(), null, LIMITS))
          .isInstanceOf(OutboundFailure.class).hasMessage("no complete answer within 3 s");
      // the server saw the headers go out and then the client hang up
      await().atMost(Duration.ofSeconds(10)).until(() -> server.hanging() == 0);
      assertThat(server.bodyBytesSent()).isPositive();
    }
  }

  @Test
  void aHugeBodyIsAbandonedAtTheCapNotBuffered() {
    try (MisbehavingServer server = MisbehavingServer.start(Behaviour.HUGE_BODY)) {
      PinnedEndpoint endpoint = loopback(server.port());

      assertThatThrownBy(() -> http.exchange(endpoint, "GET", "/", Map.of(), null, LIMITS))
          .isInstanceOf(OutboundFailure.class).hasMessage("body over 4 MiB cap");
      // the client stopped reading: the server got nowhere near the end of its 600 MiB
      assertThat(server.bodyBytesSent()).isLessThan(MisbehavingServer.HUGE / 4);
    }
  }

  @Test
  void theConnectionGoesToThePinnedAddressWithTheNameAsHost() throws Exception {
    try (MisbehavingServer server = MisbehavingServer.start(Behaviour.HUGE_BODY)) {
      EndpointGuard guard = new EndpointGuard(EndpointAllowList.parse(List.of("prometheus.test")),
          host -> new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})});
      PinnedEndpoint endpoint = guard.pin(URI.create("http://prometheus.test:" + server.port() + "/prom"), "url");

      assertThatThrownBy(() -> http.exchange(endpoint, "GET", endpoint.target("/api/v1/query", Map.of("query", "up")),
          Map.of(), null, LIMITS)).isInstanceOf(OutboundFailure.class);

      assertThat(server.heads()).singleElement().asString()
          .startsWith("GET /prom/api/v1/query?query=up HTTP/1.1\r\n")
          .contains("\r\nHost: prometheus.test:" + server.port() + "\r\n");
    }
  }

  @Test
  void aHeaderValueWithALineBreakNeverReachesTheWire() {
    try (MisbehavingServer server = MisbehavingServer.start(Behaviour.HUGE_BODY)) {
      PinnedEndpoint endpoint = loopback(server.port());

      assertThatThrownBy(() -> http.exchange(endpoint, "GET", "/", Map.of("Authorization",
          "Bearer tok\r\nX-Injected: yes"), null, LIMITS))
          .isInstanceOf(OutboundFailure.class).hasMessage("header Authorization holds a control character")
          .hasMessageNotContaining("tok");
      assertThat(server.heads()).noneMatch(h -> h.contains("X-Injected"));
    }
  }

  @Test
  void aSecretValueWithALineBreakIsRefusedNamingTheSecretAndKeyOnly() {
    assertThatThrownBy(() -> HeaderValues.fromSecret("s3cret\r\nX-Injected: yes", "prom-auth", "token"))
        .hasMessage("Secret prom-auth key token holds a line break or another control character, which cannot go "
            + "into an HTTP header: store the value on one line")
        .hasMessageNotContaining("s3cret");
    assertThat(HeaderValues.fromSecret(" tok3n\n", "prom-auth", "token")).isEqualTo("tok3n");
  }

  private static PinnedEndpoint loopback(int port) {
    return new PinnedEndpoint(false, "127.0.0.1", port, InetAddress.getLoopbackAddress(), "", true);
  }
}
