package dev.hotfix.notify;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Core/v1 Events as client-go's recorder writes them, for {@code kubectl describe} and
 * {@code kubectl get events}; used by the operator and by the sandbox's simulated controllers.
 * A repeat of the same event (same source, involved object, type, reason and message) bumps the
 * first one's {@code count} and {@code lastTimestamp} instead of creating another, so a Hotfix
 * retrying against a failing endpoint leaves one Event, not one per retry (client-go's
 * correlator). Events are written on a thread of their own and dropped when too many are
 * pending, as client-go's broadcaster does, so recording never slows a reconcile or a simulated
 * controller down, and a failure to record is logged, never thrown.
 */
public final class EventRecorder implements AutoCloseable {
  public static final String NORMAL = "Normal";
  public static final String WARNING = "Warning";

  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final int MAX_PENDING = 1000;
  /** client-go's maxLruCacheEntries. */
  private static final int MAX_REMEMBERED = 4096;
  /** Longer messages are cut, as the events API limits notes to 1 kB. */
  private static final int MAX_MESSAGE = 1024;

  private final KubernetesClient client;
  private final Clock clock;
  private final ThreadPoolExecutor writer;
  /** Makes names unique even when the clock stands still (tests) or two events share a nanosecond. */
  private final AtomicLong lastStamp = new AtomicLong();
  /** Events already written, by what makes them the same, least recently seen first; writer thread only. */
  private final Map<String, Event> written = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Event> eldest) {
      return size() > MAX_REMEMBERED;
    }
  };

  /**
   * @param client where to write the Events
   * @param clock the time of the Events' timestamps
   */
  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
    this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(MAX_PENDING), r -> {
      Thread t = new Thread(r, "event-recorder");
      t.setDaemon(true);
      return t;
    }, (dropped, executor) -> LOG.debug("dropped an event: {} are waiting to be written", MAX_PENDING));
  }

  /**
   * Records that {@code source} saw {@code reason} happen to {@code involved}.
   *
   * @param type {@link #NORMAL} or {@link #WARNING}
   */
  public void record(HasMetadata involved, EventSource source, String type, String reason, String message) {
    Instant now = clock.instant();
    String text = message == null ? "" : message.length() > MAX_MESSAGE
        ? message.substring(0, MAX_MESSAGE - 3) + "..." : message;
    writer.execute(() -> write(involved, source, type, reason, text, now));
  }

  private void write(HasMetadata involved, EventSource source, String type, String reason, String message,
      Instant at) {
    String key = String.join("\u0000", source.getComponent(), String.valueOf(source.getHost()), involved.getKind(),
        involved.getMetadata().getNamespace(), involved.getMetadata().getName(), involved.getMetadata().getUid(),
        involved.getApiVersion(), type, reason, message);
    String time = at.truncatedTo(ChronoUnit.SECONDS).toString();
    try {
      Event previous = written.get(key);
      if (previous != null) {
        Event updated = increment(previous, time);
        if (updated != null) {
          written.put(key, updated);
          return;
        }
      }
      written.put(key, client.v1().events().resource(newEvent(involved, source, type, reason, message, at, time))
          .create());
    } catch (RuntimeException e) {
      // best effort, as upstream: a lost event must not disturb what it reports on
      LOG.warn("could not record event {} for {} {}/{}: {}", reason, involved.getKind(),
          involved.getMetadata().getNamespace(), involved.getMetadata().getName(), e.getMessage());
      written.remove(key);
    }
  }

  /** One more occurrence of {@code previous}; null when it is gone (expired or deleted), to create it again. */
  private Event increment(Event previous, String time) {
    try {
      return client.v1().events().inNamespace(previous.getMetadata().getNamespace())
          .withName(previous.getMetadata().getName())
          .patch(PatchContext.of(PatchType.JSON), Serialization.asJson(List.of(
              Map.of("op", "add", "path", "/count", "value", previous.getCount() + 1),
              Map.of("op", "add", "path", "/lastTimestamp", "value", time))));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return null;
      }
      throw e;
    }
  }

  private Event newEvent(HasMetadata involved, EventSource source, String type, String reason, String message,
      Instant at, String time) {
    long nanos = at.getEpochSecond() * 1_000_000_000L + at.getNano();
    long stamp = lastStamp.accumulateAndGet(nanos, (last, now) -> Math.max(last + 1, now));
    return new EventBuilder()
        .withNewMetadata()
        .withName(involved.getMetadata().getName() + "." + Long.toHexString(stamp))
        .withNamespace(involved.getMetadata().getNamespace())
        .endMetadata()
        .withNewInvolvedObject()
        .withApiVersion(involved.getApiVersion())
        .withKind(involved.getKind())
        .withNamespace(involved.getMetadata().getNamespace())
        .withName(involved.getMetadata().getName())
        .withUid(involved.getMetadata().getUid())
        .withResourceVersion(involved.getMetadata().getResourceVersion())
        .endInvolvedObject()
        .withType(type)
        .withReason(reason)
        .withMessage(message)
        .withSource(source)
        .withReportingComponent(source.getComponent())
        .withFirstTimestamp(time)
        .withLastTimestamp(time)
        .withCount(1)
        .build();
  }

  /** Writes what is pending for up to two seconds (the last phase change of a stopping operator), then stops. */
  @Override
  public void close() {
    writer.shutdown();
    try {
      if (!writer.awaitTermination(2, TimeUnit.SECONDS)) {
        writer.shutdownNow();
      }
    } catch (InterruptedException e) {
      writer.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
