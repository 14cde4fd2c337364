package dev.hotfix.outbound;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/1.1 exchange with a {@link PinnedEndpoint}, bounded as a whole: connecting, TLS, the
 * headers and the body all fall under one deadline, after which the socket is closed (a server
 * dribbling one byte at a time gains nothing), and the body is counted as it arrives and
 * abandoned past a cap (it is never held beyond the cap). It connects to the checked address
 * and names the host in the Host header and TLS server name (SNI, certificate check), so the
 * pinning holds for https too. No redirects, no compression, one request per connection.
 */
public final class OutboundHttp {
  /** Headers longer than this in all are refused (a header flood is another way to stall). */
  private static final int HEADER_LIMIT = 64 * 1024;
  private static final ScheduledThreadPoolExecutor DEADLINES = deadlines();

  /**
   * How long and how much.
   *
   * @param deadline the whole exchange, from connect to the last body byte
   * @param maxBodyBytes the largest body read; larger is an {@link OutboundFailure} naming the cap
   */
  public record Limits(Duration deadline, long maxBodyBytes) {
    /** The cap for messages, e.g. "4 MiB". */
    String cap() {
      return maxBodyBytes % (1024 * 1024) == 0 ? maxBodyBytes / (1024 * 1024) + " MiB" : maxBodyBytes + " bytes";
    }
  }

  /** An answer: its status code and body (at most the cap). */
  public record Response(int status, byte[] body) {
  }

  private final SSLContext tls;

  /** @param tls the trust used for https endpoints */
  public OutboundHttp(SSLContext tls) {
    this.tls = tls;
  }

  /** With the JVM's default trust. */
  public static OutboundHttp withDefaultTrust() {
    try {
      return new OutboundHttp(SSLContext.getDefault());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Sends one request and reads the whole answer within {@code limits}.
   *
   * @param target the request target from {@link PinnedEndpoint#target}
   * @param headers extra headers; values must already be checked ({@link HeaderValues})
   * @param body the request body, or null for none
   * @throws OutboundFailure with a fixed description when the exchange does not complete
   */
  public Response exchange(PinnedEndpoint endpoint, String method, String target, Map<String, String> headers,
      byte[] body, Limits limits) {
    long deadline = System.nanoTime() + limits.deadline().toNanos();
    AtomicBoolean expired = new AtomicBoolean();
    Socket plain = new Socket();
    ScheduledFuture<?> watchdog = DEADLINES.schedule(() -> {
      expired.set(true);
      closeQuietly(plain);
    }, limits.deadline().toNanos(), TimeUnit.NANOSECONDS);
    String late = "no complete answer within " + limits.deadline().toSeconds() + " s";
    try {
      plain.connect(new InetSocketAddress(endpoint.address(), endpoint.port()), remainingMillis(deadline));
      Socket socket = endpoint.https() ? handshake(plain, endpoint, deadline) : plain;
      socket.setSoTimeout(remainingMillis(deadline));
      OutputStream out = socket.getOutputStream();
      out.write(head(endpoint, method, target, headers, body).getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) {
        out.write(body);
      }
      out.flush();
      return read(new Reader(socket.getInputStream(), socket, deadline), limits);
    } catch (OutboundFailure e) {
      throw expired.get() ? new OutboundFailure(late) : e;
    } catch (ConnectException e) {
      throw new OutboundFailure(expired.get() ? late : "connection refused");
    } catch (SocketTimeoutException e) {
      throw new OutboundFailure(late);
    } catch (SSLException e) {
      throw new OutboundFailure(expired.get() ? late : "TLS handshake failed (certificate not trusted or not for "
          + endpoint.host() + ")");
    } catch (IOException e) {
      throw new OutboundFailure(expired.get() ? late : "connection failed (" + e.getClass().getSimpleName() + ")");
    } finally {
      watchdog.cancel(false);
      closeQuietly(plain);
    }
  }

  private Socket handshake(Socket plain, PinnedEndpoint endpoint, long deadline) throws IOException {
    plain.setSoTimeout(remainingMillis(deadline));
    SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(plain, endpoint.host(), endpoint.port(), true);
    SSLParameters parameters = ssl.getSSLParameters();
    // the certificate must be for the name, though the connection goes to the checked address
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    if (IpLiterals.parse(endpoint.host()).isEmpty()) {
      parameters.setServerNames(List.of(new SNIHostName(endpoint.host())));
    }
    ssl.setSSLParameters(parameters);
    ssl.startHandshake();
    return ssl;
  }

  private static String head(PinnedEndpoint endpoint, String method, String target, Map<String, String> headers,
      byte[] body) {
    boolean defaultPort = endpoint.port() == (endpoint.https() ? 443 : 80);
    String host = endpoint.host().contains(":") ? "[" + endpoint.host() + "]" : endpoint.host();
    StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
        .append("Host: ").append(host).append(defaultPort ? "" : ":" + endpoint.port()).append("\r\n")
        .append("Connection: close\r\nAccept-Encoding: identity\r\nUser-Agent: hotfix-operator\r\n");
    headers.forEach((name, value) -> head.append(name).append(": ").append(HeaderValues.checked(name, value))
        .append("\r\n"));
    if (body != null) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    return head.append("\r\n").toString();
  }

  private static Response read(Reader in, Limits limits) throws IOException {
    String statusLine = in.line();
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("[1-5][0-9][0-9]")) {
      throw new OutboundFailure("not an HTTP answer");
    }
    int status = Integer.parseInt(parts[1]);
    long length = -1;
    boolean chunked = false;
    for (String line = in.line(); !line.isEmpty(); line = in.line()) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new OutboundFailure("malformed HTTP header");
      }
      String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).strip();
      if (name.equals("content-length")) {
        try {
          length = Long.parseLong(value);
        } catch (NumberFormatException e) {
          throw new OutboundFailure("malformed HTTP header");
        }
      } else if (name.equals("transfer-encoding")) {
        chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
      }
    }
    if (length > limits.maxBodyBytes()) {
      throw new OutboundFailure("body over " + limits.cap() + " cap");
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (chunked) {
      for (long size = chunkSize(in.line()); size > 0; size = chunkSize(in.line())) {
        in.copy(size, body, limits);
        in.line();
      }
    } else if (length >= 0) {
      in.copy(length, body, limits);
    } else {
      in.copy(Long.MAX_VALUE, body, limits);
    }
    return new Response(status, body.toByteArray());
  }

  private static long chunkSize(String line) {
    String size = line.contains(";") ? line.substring(0, line.indexOf(';')) : line;
    try {
      return Long.parseLong(size.strip(), 16);
    } catch (NumberFormatException e) {
      throw new OutboundFailure("malformed chunked body");
    }
  }

  /** Reads with the socket's timeout set to what is left of the deadline before each read. */
  private static final class Reader {
    private final InputStream in;
    private final Socket socket;
    private final long deadline;
    private final byte[] buffer = new byte[8192];
    private int headerBytes;
    private long bodyBytes;

    Reader(InputStream in, Socket socket, long deadline) {
      this.in = in;
      this.socket = socket;
      this.deadline = deadline;
    }

    private int read(byte[] into, int off, int len) throws IOException {
      socket.setSoTimeout(remainingMillis(deadline));
      return in.read(into, off, len);
    }

    /** One header or chunk-size line, without its CRLF. */
    String line() throws IOException {
      StringBuilder line = new StringBuilder();
      byte[] one = new byte[1];
      while (true) {
        if (read(one, 0, 1) < 0) {
          throw new OutboundFailure("connection closed mid-answer");
        }
        if (++headerBytes > HEADER_LIMIT) {
          throw new OutboundFailure("headers over " + HEADER_LIMIT / 1024 + " KiB");
        }
        if (one[0] == '\n') {
          int end = line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? line.length() - 1 : line.length();
          return line.substring(0, end);
        }
        line.append((char) (one[0] & 0xff));
      }
    }

    /** Copies {@code count} body bytes (or up to end of stream for MAX_VALUE), failing past the cap. */
    void copy(long count, ByteArrayOutputStream out, Limits limits) throws IOException {
      long left = count;
      while (left > 0) {
        int n = read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          if (count == Long.MAX_VALUE) {
            return;
          }
          throw new OutboundFailure("connection closed mid-answer");
        }
        bodyBytes += n;
        if (bodyBytes > limits.maxBodyBytes()) {
          throw new OutboundFailure("body over " + limits.cap() + " cap");
        }
        out.write(buffer, 0, n);
        left -= n;
      }
    }
  }

  private static int remainingMillis(long deadline) throws SocketTimeoutException {
    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    if (left <= 0) {
      throw new SocketTimeoutException();
    }
    return (int) Math.min(Integer.MAX_VALUE, left);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing is all that is left to do
    }
  }

  private static ScheduledThreadPoolExecutor deadlines() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "outbound-deadlines");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }
}
