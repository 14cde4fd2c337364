package dev.hotfix.outbound;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback HTTP server that answers as an attacker's endpoint would: a slowloris (headers, then
 * one body byte every 2 s for ever) or a huge body (hundreds of MiB streamed as fast as the client
 * reads). It records each request head, counts the body bytes it managed to send and the
 * connections still hanging. Closing it stops every connection.
 */
public final class MisbehavingServer implements AutoCloseable {
  /** What the server does after reading a request. */
  public enum Behaviour { SLOWLORIS, HUGE_BODY }

  /** The size of the huge body: far more than any cap, and than a small test heap holds twice. */
  public static final long HUGE = 600L * 1024 * 1024;

  private final ServerSocket socket;
  private final Behaviour behaviour;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "misbehaving-server");
    t.setDaemon(true);
    return t;
  });
  private final List<String> heads = new CopyOnWriteArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final AtomicLong bodyBytesSent = new AtomicLong();
  private final AtomicInteger hanging = new AtomicInteger();

  private MisbehavingServer(ServerSocket socket, Behaviour behaviour) {
    this.socket = socket;
    this.behaviour = behaviour;
  }

  /** Starts on a free loopback port. */
  public static MisbehavingServer start(Behaviour behaviour) {
    try {
      MisbehavingServer server = new MisbehavingServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()),
          behaviour);
      server.threads.execute(server::accept);
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + socket.getLocalPort());
  }

  public int port() {
    return socket.getLocalPort();
  }

  /** The request heads received (request line and headers). */
  public List<String> heads() {
    return List.copyOf(heads);
  }

  /** Body bytes written to clients so far, over all connections. */
  public long bodyBytesSent() {
    return bodyBytesSent.get();
  }

  /** Connections the server is still dribbling to (the client has not hung up). */
  public int hanging() {
    return hanging.get();
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket client = socket.accept();
        open.add(client);
        threads.execute(() -> serve(client));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      heads.add(readHead(client.getInputStream()));
      OutputStream out = client.getOutputStream();
      if (behaviour == Behaviour.SLOWLORIS) {
        out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        hanging.incrementAndGet();
        try {
          while (true) {
            out.write('{');
            out.flush();
            bodyBytesSent.incrementAndGet();
            Thread.sleep(2000);
          }
        } finally {
          hanging.decrementAndGet();
        }
      }
      out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = new byte[64 * 1024];
      java.util.Arrays.fill(chunk, (byte) ' ');
      for (long sent = 0; sent < HUGE; sent += chunk.length) {
        out.write(chunk);
        bodyBytesSent.addAndGet(chunk.length);
      }
    } catch (IOException | InterruptedException e) {
      // the client hung up, or the server is closing
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
      matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : 0;
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    open.forEach(s -> {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    });
    threads.shutdownNow();
  }
}
