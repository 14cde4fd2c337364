package dev.hotfix.sandbox.cluster;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Core/v1 Events as upstream components emit them, for {@code kubectl describe} and
 * {@code kubectl get events}: a repeat of the same event on the same object bumps its count and
 * lastTimestamp instead of creating another (upstream's correlator). Events are written on a
 * thread of their own and dropped when too many are pending, as upstream's broadcaster does, so
 * they never slow a controller down.
 */
final class EventRecorder implements AutoCloseable {

  static final String NORMAL = "Normal";
  static final String WARNING = "Warning";

  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final int MAX_PENDING = 1000;
  private static final int MAX_REMEMBERED = 4096;

  private final KubernetesClient client;
  private final ThreadPoolExecutor writer;
  /** Events already written, by what makes them the same, for aggregation; least recent first. */
  private final Map<String, Event> written =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Event> eldest) {
          return size() > MAX_REMEMBERED;
        }
      };

  EventRecorder(KubernetesClient client) {
    this.client = client;
    this.writer =
        new ThreadPoolExecutor(
            1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(MAX_PENDING),
            r -> {
              Thread t = new Thread(r, "event-recorder-worker-0");
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.DiscardPolicy());
  }

  /**
   * Records that {@code component} saw {@code reason} happen to {@code involved}.
   *
   * @param type {@link #NORMAL} or {@link #WARNING}
   */
  void record(HasMetadata involved, String component, String type, String reason, String message) {
    Instant now = Instant.now();
    writer.execute(() -> write(involved, component, type, reason, message, now));
  }

  private void write(HasMetadata involved, String component, String type, String reason, String message, Instant at) {
    String key = String.join("\u0000", component, involved.getMetadata().getUid(), type, reason, message);
    String time = Timestamps.format(at);
    try {
      Event previous = written.get(key);
      if (previous != null) {
        int count = previous.getCount() + 1;
        Event updated = client.v1().events().inNamespace(previous.getMetadata().getNamespace())
            .withName(previous.getMetadata().getName())
            .patch(PatchContext.of(PatchType.JSON), Serialization.asJson(List.of(
                Map.of("op", "add", "path", "/count", "value", count),
                Map.of("op", "add", "path", "/lastTimestamp", "value", time))));
        if (updated != null) {
          written.put(key, updated);
          return;
        }
      }
      Event created = client.v1().events().resource(newEvent(involved, component, type, reason, message, time)).create();
      written.put(key, created);
    } catch (RuntimeException e) {
      // events are best effort, upstream too: a lost event must not disturb the cluster
      LOG.debug("could not record event {} for {}: {}", reason, ControllerRefs.keyOf(involved), e.toString());
      written.remove(key);
    }
  }

  private static Event newEvent(
      HasMetadata involved, String component, String type, String reason, String message, String time) {
    return new EventBuilder()
        .withNewMetadata()
        .withName(involved.getMetadata().getName() + "." + Long.toHexString(System.nanoTime()))
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
        .withNewSource()
        .withComponent(component)
        .withHost(Kubelet.COMPONENT.equals(component) ? Kubelet.NODE_NAME : null)
        .endSource()
        .withReportingComponent(component)
        .withFirstTimestamp(time)
        .withLastTimestamp(time)
        .withCount(1)
        .build();
  }

  /** Stops writing; pending events are dropped. */
  @Override
  public void close() {
    writer.shutdownNow();
    try {
      writer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
