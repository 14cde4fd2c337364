package dev.hotfix.health;

import dev.hotfix.outbound.EndpointPools;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.Supplier;

/**
 * Runs metric queries and http checks' GETs off the reconcile threads, like Argo Rollouts' analysis workers: each
 * endpoint gets a small pool with a bounded queue, so a slow or hanging endpoint occupies only its
 * own workers and delays only the Hotfixes that query it. The reconciler asks for an answer; if
 * none is ready it submits the query and returns, and {@code wake} re-triggers the Hotfix's
 * reconcile when the answer is in (an event, not a poll). A full queue answers at once with an
 * error ("endpoint busy"), never blocking the reconciler.
 */
public final class MeasurementWorkers implements AutoCloseable {
  /** Endpoints with a pool at most; beyond it a query is an error rather than another pool. */
  private static final int MAX_ENDPOINTS = 128;
  /** Answers nobody collected (the Hotfix was deleted, or its spec changed) are dropped after this. */
  private static final Duration UNCOLLECTED = Duration.ofMinutes(10);

  /**
   * What a query answered, or the error it raised.
   *
   * @param value the answer, when no error
   * @param error the source's error, or null
   * @param measured the measurement of a provider that judges its own answer ({@link #measurement}), else null
   * @param at when the answer came
   */
  public record Answer(OptionalDouble value, MetricSourceException error, Measurement measured, Instant at) {
    /** A source that replays this answer, so the check judges it as if it had asked itself. */
    public MetricSource replay() {
      return query -> {
        if (error != null) {
          throw error;
        }
        return value;
      };
    }
  }

  /**
   * One query for one Hotfix.
   *
   * @param hotfix the Hotfix's uid
   * @param purpose e.g. the check's name, or "preflight:" and the check's name
   * @param query the query text (a changed query is a different request)
   */
  public record Request(String hotfix, String purpose, String query) {
  }

  private final Clock clock;
  /** The pools per endpoint; null when queries run on the caller's thread. */
  private final EndpointPools pools;
  private final Map<Request, Optional<Answer>> requests = new ConcurrentHashMap<>();

  private MeasurementWorkers(Clock clock, EndpointPools pools) {
    this.clock = clock;
    this.pools = pools;
  }

  /** Pools of {@code workers} threads and {@code queue} waiting queries per endpoint. */
  public static MeasurementWorkers pooled(Clock clock, int workers, int queue) {
    return new MeasurementWorkers(clock, new EndpointPools("measure-", workers, queue, MAX_ENDPOINTS));
  }

  /** Runs each query on the caller's thread: for handler tests without a cluster. */
  public static MeasurementWorkers inline(Clock clock) {
    return new MeasurementWorkers(clock, null);
  }

  /**
   * The answer to {@code request} if it is in (taking it), else submits the query (once) and
   * returns empty; {@code wake} runs when the answer is in.
   */
  public Optional<Answer> answer(Request request, MetricSource source, Runnable wake) {
    return submit(request, source.endpoint(), () -> ask(source, request.query()), wake);
  }

  /**
   * As {@link #answer} for a provider that judges its own answer (an http check's GET): the
   * measurement {@code probe} took if it is in, else submits it (once) to {@code endpoint}'s pool.
   */
  public Optional<Measurement> measurement(Request request, String endpoint, Supplier<Measurement> probe, Runnable wake) {
    return submit(request, endpoint, () -> {
      Measurement m = probe.get();
      return new Answer(OptionalDouble.empty(), null, m, clock.instant());
    }, wake).map(a -> a.measured() != null ? a.measured()
        : new Measurement(Measurement.Result.ERROR, OptionalDouble.empty(), a.error().getMessage(), a.at()));
  }

  private Optional<Answer> submit(Request request, String endpoint, Supplier<Answer> task, Runnable wake) {
    Optional<Answer> ready = requests.getOrDefault(request, Optional.empty());
    if (ready.isPresent()) {
      requests.remove(request);
      return ready;
    }
    if (requests.containsKey(request)) {
      return Optional.empty();
    }
    if (pools == null) {
      return Optional.of(task.get());
    }
    forgetUncollected();
    ThreadPoolExecutor pool = pools.of(endpoint);
    if (pool == null) {
      return Optional.of(failed("too many endpoints in use (" + MAX_ENDPOINTS + ")"));
    }
    requests.put(request, Optional.empty());
    try {
      pool.execute(() -> {
        Answer answer;
        try {
          answer = task.get();
        } catch (RuntimeException e) {
          answer = failed("measurement failed: " + e.getClass().getSimpleName());
        }
        if (requests.replace(request, Optional.empty(), Optional.of(answer))) {
          wake.run();
        }
      });
    } catch (RejectedExecutionException e) {
      requests.remove(request);
      return Optional.of(failed("endpoint busy: " + endpoint + " has " + pools.queue() + " measurements waiting"));
    }
    return Optional.empty();
  }

  private Answer ask(MetricSource source, String query) {
    try {
      OptionalDouble value = source.query(query);
      return new Answer(value, null, null, clock.instant());
    } catch (MetricSourceException e) {
      return new Answer(OptionalDouble.empty(), e, null, clock.instant());
    } catch (RuntimeException e) {
      return failed("query failed: " + e.getClass().getSimpleName());
    }
  }

  private Answer failed(String message) {
    return new Answer(OptionalDouble.empty(), new MetricSourceException(message, false), null, clock.instant());
  }

  private void forgetUncollected() {
    Instant stale = clock.instant().minus(UNCOLLECTED);
    requests.entrySet().removeIf(e -> e.getValue().map(a -> a.at().isBefore(stale)).orElse(false));
  }

  /** Stops the workers; queries under way end with their own deadline. */
  @Override
  public void close() {
    if (pools != null) {
      pools.shutdownNow();
    }
  }
}
