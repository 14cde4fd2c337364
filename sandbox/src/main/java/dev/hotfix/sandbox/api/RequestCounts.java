package dev.hotfix.sandbox.api;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The requests the API server answered, by client (its {@code User-Agent}) and status code: how
 * benchmarks see what an operator costs the API server, and how many of its writes hit a 409,
 * without touching the operator. A watch counts once, when it opens. Tests that must see each
 * request (which write, with which body) subscribe to them as an audit log.
 */
public final class RequestCounts {
  private final Map<String, Map<Integer, LongAdder>> byClient = new ConcurrentHashMap<>();
  private final List<Consumer<AuditedRequest>> auditors = new CopyOnWriteArrayList<>();
  private final List<Consumer<AuditedRequest>> arrivalAuditors = new CopyOnWriteArrayList<>();

  void received(AuditedRequest request) {
    arrivalAuditors.forEach(a -> a.accept(request));
  }

  void record(AuditedRequest request) {
    byClient.computeIfAbsent(request.userAgent(), k -> new ConcurrentHashMap<>())
        .computeIfAbsent(request.code(), k -> new LongAdder()).increment();
    auditors.forEach(a -> a.accept(request));
  }

  /** Calls {@code auditor} with every request answered from now on, on the server's thread: keep it quick. */
  public void audit(Consumer<AuditedRequest> auditor) {
    auditors.add(auditor);
  }

  /**
   * Calls {@code auditor} with every request as it arrives, before anything it causes (code
   * {@link AuditedRequest#RECEIVED}), on the server's thread: keep it quick.
   */
  public void auditArrivals(Consumer<AuditedRequest> auditor) {
    arrivalAuditors.add(auditor);
  }

  /** Requests answered so far for clients whose User-Agent starts with {@code clientPrefix}. */
  public long total(String clientPrefix) {
    return count(clientPrefix, null);
  }

  /** Requests answered with {@code code} so far for clients whose User-Agent starts with {@code clientPrefix}. */
  public long withCode(String clientPrefix, int code) {
    return count(clientPrefix, code);
  }

  private long count(String clientPrefix, Integer code) {
    long n = 0;
    for (Map.Entry<String, Map<Integer, LongAdder>> client : byClient.entrySet()) {
      if (client.getKey().startsWith(clientPrefix)) {
        for (Map.Entry<Integer, LongAdder> c : client.getValue().entrySet()) {
          if (code == null || code.equals(c.getKey())) {
            n += c.getValue().sum();
          }
        }
      }
    }
    return n;
  }
}
