package dev.hotfix.notify;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.NotificationType;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.operator.PhaseListener;
import dev.hotfix.outbound.EndpointGuard;
import dev.hotfix.outbound.EndpointPools;
import dev.hotfix.outbound.OutboundFailure;
import dev.hotfix.outbound.OutboundHttp;
import dev.hotfix.outbound.OutboundRefused;
import dev.hotfix.outbound.OutboundSettings;
import dev.hotfix.outbound.PinnedEndpoint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the namespace policy's notifications ({@code spec.notifications[]}) on the phase
 * changes {@link Announcement} lists. Never on the reconcile thread: the phase change is turned
 * into a {@link HotfixEvent} there and queued; two threads read the policy and its Secrets and
 * retry with {@link Backoff} (waits are scheduled, not slept), and each receiver (host and port)
 * has its own small pool for the POSTs, so a slow receiver holds up only the notifications sent
 * to it; when its queue is full an attempt fails at once ("receiver busy"). Notifications about
 * one Hotfix go out in the order of its phase changes (a queue per Hotfix); different Hotfixes
 * and different destinations don't wait for each other. Each POST passes the operator's
 * {@link EndpointGuard} (public or allowed addresses, pinned) and is bounded as a whole by
 * {@link OutboundHttp} (10 s, the answer capped and discarded); failures are reported with a fixed
 * description, never the receiver's answer. Every attempt counts in
 * {@code hotfix_notifications_total{type,result}}; every failed attempt is reported to
 * {@link DeliveryFailures} (a Warning Event).
 */
public final class Notifier implements PhaseListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
  /** Notifications queued at most; past it new ones are dropped with a warning rather than piling up. */
  static final int MAX_PENDING = 1000;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  /** POSTs in flight per receiver, and waiting behind them. */
  private static final int RECEIVER_THREADS = 2;
  private static final int RECEIVER_QUEUE = 32;
  /** Receivers with a pool at most; beyond it an attempt fails rather than starting another pool. */
  private static final int MAX_RECEIVERS = 128;

  private final KubernetesClient client;
  private final MeterRegistry meters;
  private final Backoff backoff;
  private final DeliveryFailures failures;
  private final ScheduledExecutorService executor;
  private final OutboundHttp http = OutboundHttp.withDefaultTrust();
  private final EndpointGuard guard;
  private final OutboundHttp.Limits limits;
  /** The last queued delivery per Hotfix; the next one starts when it ends. */
  private final Map<String, CompletableFuture<Void>> queues = new ConcurrentHashMap<>();
  private final AtomicInteger pending = new AtomicInteger();
  /** The POST pool of each receiver, by host:port. */
  private final EndpointPools receivers = new EndpointPools("hotfix-notify-post-", RECEIVER_THREADS, RECEIVER_QUEUE,
      MAX_RECEIVERS);

  /**
   * @param client reads the namespace's HotfixPolicy and the Secrets it names
   * @param meters where {@code hotfix_notifications_total} goes
   * @param backoff how failed attempts are retried
   * @param outbound which receivers may be called, and the largest answer read
   * @param failures told of every failed attempt
   */
  public Notifier(KubernetesClient client, MeterRegistry meters, Backoff backoff, OutboundSettings outbound,
      DeliveryFailures failures) {
    this.client = client;
    this.meters = meters;
    this.backoff = backoff;
    this.failures = failures;
    AtomicInteger threads = new AtomicInteger();
    ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(2, r -> {
      Thread t = new Thread(r, "hotfix-notify-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    // on close, retries still waiting are dropped instead of holding the operator's shutdown
    pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.executor = pool;
    this.guard = outbound.guard();
    this.limits = new OutboundHttp.Limits(REQUEST_TIMEOUT, outbound.maxBodyBytes());
  }

  @Override
  public void phaseChanged(Hotfix hotfix, Phase from, Phase to, Instant at) {
    Optional<Announcement> announcement = Announcement.of(from, to);
    if (announcement.isPresent()) {
      try {
        enqueue(hotfix, HotfixEvent.of(announcement.get(), hotfix, from, to, at));
      } catch (RuntimeException e) {
        // never let a notification problem reach the reconciler: the phase change is stored already
        LOG.warn("notification of {} -> {} not queued: {}", from, to, e.toString());
      }
    }
  }

  private void enqueue(Hotfix hotfix, HotfixEvent event) {
    if (pending.incrementAndGet() > MAX_PENDING) {
      pending.decrementAndGet();
      LOG.warn("dropping notification {} of {}/{}: {} notifications are already waiting", event.event(),
          event.namespace(), event.hotfix(), MAX_PENDING);
      return;
    }
    String key = event.namespace() + "/" + event.hotfix();
    CompletableFuture<?>[] queued = new CompletableFuture<?>[1];
    queues.compute(key, (k, last) -> {
      CompletableFuture<Void> previous = last == null ? CompletableFuture.completedFuture(null) : last;
      CompletableFuture<Void> next = previous.thenComposeAsync(done -> deliver(hotfix, event), executor)
          .exceptionally(e -> {
            LOG.warn("notification {} of {} could not be sent: {}", event.event(), k, e.toString());
            return null;
          })
          .whenComplete((done, e) -> pending.decrementAndGet());
      queued[0] = next;
      return next;
    });
    queued[0].whenComplete((done, e) -> queues.remove(key, queued[0]));
  }

  /** Sends {@code event} to every destination of the namespace's policy; completes when all are done. */
  private CompletableFuture<Void> deliver(Hotfix hotfix, HotfixEvent event) {
    List<Destination> destinations;
    try {
      destinations = Destination.of(client, event.namespace());
    } catch (RuntimeException e) {
      failures.failed(hotfix, "notification " + event.event() + " not sent: cannot read HotfixPolicy default in "
          + event.namespace() + ": " + e.getMessage());
      return CompletableFuture.completedFuture(null);
    }
    return CompletableFuture.allOf(destinations.stream().map(d -> {
      if (d.url() == null) {
        count(d.type(), "failed");
        failures.failed(hotfix, d.type() + " notification " + event.event() + " not sent: " + d.problem());
        return CompletableFuture.completedFuture(null);
      }
      CompletableFuture<Void> done = new CompletableFuture<>();
      attempt(hotfix, event, d, body(d, event), 1, done);
      return done;
    }).toArray(CompletableFuture[]::new));
  }

  private void attempt(Hotfix hotfix, HotfixEvent event, Destination d, byte[] body, int attempt,
      CompletableFuture<Void> done) {
    CompletableFuture<Integer> posted;
    try {
      posted = CompletableFuture.supplyAsync(() -> post(d, body), receiverPool(d));
    } catch (RejectedExecutionException busy) {
      posted = CompletableFuture.failedFuture(new OutboundFailure(executor.isShutdown() ? "the operator is stopping"
          : "receiver busy: " + RECEIVER_QUEUE + " notifications already wait for " + receiverKey(d)));
    }
    posted.whenComplete((status, error) -> {
      String problem = error != null ? problemOf(error)
          : status / 100 == 2 ? null : "HTTP " + status + " from " + d.type() + " endpoint";
      if (problem == null) {
        count(d.type(), "sent");
        done.complete(null);
        return;
      }
      count(d.type(), "failed");
      boolean last = attempt >= backoff.attempts();
      Duration wait = backoff.delayAfter(attempt);
      String message = d.describe() + " notification " + event.event() + " failed (attempt " + attempt + " of "
          + backoff.attempts() + "): " + problem + (last ? "; giving up" : "; retrying in " + wait.toMillis() + " ms");
      LOG.warn("{}/{}: {}", event.namespace(), event.hotfix(), message);
      failures.failed(hotfix, message);
      if (last) {
        done.complete(null);
        return;
      }
      try {
        executor.schedule(() -> attempt(hotfix, event, d, body, attempt + 1, done), wait.toMillis(),
            TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException stopping) {
        done.complete(null);
      }
    });
  }

  /** The receiver's own POST pool, made on first use. */
  private ThreadPoolExecutor receiverPool(Destination d) {
    ThreadPoolExecutor pool = receivers.of(receiverKey(d));
    if (pool == null) {
      throw new RejectedExecutionException("too many receivers");
    }
    return pool;
  }

  private static String receiverKey(Destination d) {
    return d.url().getHost() + ":" + d.url().getPort();
  }

  private static byte[] body(Destination d, HotfixEvent event) {
    Object body = d.type() == NotificationType.slack ? SlackMessage.of(event) : event;
    return Serialization.asJson(body).getBytes(StandardCharsets.UTF_8);
  }

  /** One POST through the guard (resolving and checking the address each time); the status code. */
  private int post(Destination d, byte[] body) {
    PinnedEndpoint endpoint = guard.pin(d.url(), "the " + d.type() + " URL");
    return http.exchange(endpoint, "POST", endpoint.target("", Map.of()), Map.of("Content-Type", "application/json"),
        body, limits).status();
  }

  /** A fixed description: the guard's refusal or the exchange's failure, never the receiver's words. */
  private static String problemOf(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof OutboundFailure || cause instanceof OutboundRefused) {
      return cause.getMessage();
    }
    return cause.getClass().getSimpleName();
  }

  private void count(NotificationType type, String result) {
    Counter.builder("hotfix.notifications").description("Notification attempts, by target type and result")
        .tags("type", type.name(), "result", result).register(meters).increment();
  }

  /** Stops sending: what is under way gets a few seconds to finish, the rest is dropped. */
  @Override
  public void close() {
    receivers.shutdown();
    executor.shutdown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    try {
      boolean finished = executor.awaitTermination(3, TimeUnit.SECONDS) & receivers.awaitTermination(deadline);
      if (!finished) {
        LOG.warn("stopping with {} notifications unsent", pending.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      executor.shutdownNow();
      receivers.shutdownNow();
    }
  }
}
