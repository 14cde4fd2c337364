package dev.hotfix.health.prometheus;

import dev.hotfix.api.v1alpha1.HotfixPolicy;
import dev.hotfix.api.v1alpha1.PrometheusEndpoint;
import dev.hotfix.health.MetricSource;
import dev.hotfix.health.MetricSourceException;
import dev.hotfix.outbound.EndpointAllowList;
import dev.hotfix.outbound.EndpointGuard;
import dev.hotfix.outbound.HeaderValues;
import dev.hotfix.outbound.OutboundHttp;
import dev.hotfix.outbound.OutboundSettings;
import dev.hotfix.outbound.SecretKeys;
import dev.hotfix.policy.NamespacePolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a namespace's metric checks read from: the namespace's HotfixPolicy {@code default}
 * ({@code spec.prometheus}: URL, credentials Secret, CA Secret, timeout) or else the
 * operator's {@code --prometheus-url}. A Hotfix never names a URL, so it cannot point the
 * operator at an arbitrary address. The policy ({@link NamespacePolicy}) and Secrets are read by
 * name through the client on each use (no list or watch of Secrets); HTTP clients are reused per configuration.
 */
public final class PrometheusEndpoints implements MetricSources {
  static final String DEFAULT_CA_KEY = "ca.crt";
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  /** Configurations remembered at most; credentials rotate, so old ones must not pile up. */
  private static final int CACHE_LIMIT = 64;

  private final KubernetesClient client;
  private final Optional<URI> operatorDefault;
  private final OutboundSettings outbound;
  private final EndpointGuard guard;
  private final Map<Configuration, MetricSource> sources = new ConcurrentHashMap<>();

  /**
   * @param operatorDefault {@code --prometheus-url}; its host is allowed like an {@code --allow-endpoint}
   *     entry, since the operator's administrator chose it
   */
  public PrometheusEndpoints(KubernetesClient client, Optional<URI> operatorDefault, OutboundSettings outbound) {
    this.client = client;
    this.operatorDefault = operatorDefault;
    this.outbound = outbound;
    this.guard = new EndpointGuard(operatorDefault.filter(u -> u.getHost() != null)
        .map(u -> outbound.allowed().and(EndpointAllowList.parse(List.of(u.getHost().replaceAll("^\\[|\\]$", "")))))
        .orElse(outbound.allowed()));
  }

  @Override
  public Optional<MetricSource> forNamespace(String namespace) {
    HotfixPolicy policy = NamespacePolicy.read(client, namespace).orElse(null);
    PrometheusEndpoint endpoint = policy == null || policy.getSpec() == null ? null : policy.getSpec().prometheus;
    if (endpoint != null && endpoint.url != null) {
      try {
        return Optional.of(source(configuration(namespace, endpoint)));
      } catch (IllegalArgumentException e) {
        return Optional.of(new Misconfigured("HotfixPolicy " + HotfixPolicy.DEFAULT_NAME + " in " + namespace + ": "
            + e.getMessage()));
      }
    }
    return operatorDefault.map(url -> source(new Configuration(url, Optional.empty(), Optional.empty(),
        DEFAULT_TIMEOUT)));
  }

  private MetricSource source(Configuration c) {
    if (sources.size() > CACHE_LIMIT) {
      sources.clear();
    }
    return sources.computeIfAbsent(c, k -> new PrometheusApi(k.url(), k.authorization(), k.caPem(),
        new OutboundHttp.Limits(k.timeout(), outbound.maxBodyBytes()), guard));
  }

  /** The endpoint with its Secrets read; a missing Secret or key is an IllegalArgumentException naming it. */
  private Configuration configuration(String namespace, PrometheusEndpoint e) {
    Optional<String> authorization = Optional.empty();
    if (e.authSecretRef != null) {
      Map<String, String> auth = secret(namespace, e.authSecretRef.name, "authSecretRef");
      String name = e.authSecretRef.name;
      if (auth.containsKey("token")) {
        authorization = Optional.of(PrometheusApi.bearer(HeaderValues.fromSecret(auth.get("token"), name, "token")));
      } else if (auth.containsKey("username") && auth.containsKey("password")) {
        authorization = Optional.of(PrometheusApi.basic(HeaderValues.fromSecret(auth.get("username"), name, "username"),
            HeaderValues.fromSecret(auth.get("password"), name, "password")));
      } else {
        throw new IllegalArgumentException("authSecretRef: Secret " + e.authSecretRef.name + " has neither key token "
            + "nor keys username and password");
      }
    }
    Optional<String> ca = Optional.empty();
    if (e.caSecretRef != null) {
      String key = e.caSecretRef.key == null ? DEFAULT_CA_KEY : e.caSecretRef.key;
      String pem = secret(namespace, e.caSecretRef.name, "caSecretRef").get(key);
      if (pem == null) {
        throw new IllegalArgumentException("caSecretRef: Secret " + e.caSecretRef.name + " has no key " + key);
      }
      ca = Optional.of(pem);
    }
    Duration timeout = e.timeoutSeconds == null ? DEFAULT_TIMEOUT : Duration.ofSeconds(e.timeoutSeconds);
    return new Configuration(EndpointGuard.baseUrl(e.url, "spec.prometheus.url"), authorization, ca, timeout);
  }

  private Map<String, String> secret(String namespace, String name, String field) {
    try {
      return SecretKeys.values(client, namespace, name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
    }
  }

  /** A source whose configuration is broken: every query fails with the same message. */
  private record Misconfigured(String problem) implements MetricSource {
    @Override
    public OptionalDouble query(String query) {
      throw new MetricSourceException(problem, false);
    }

    @Override
    public Optional<String> misconfiguration() {
      return Optional.of(problem);
    }
  }

  /** One way of reaching Prometheus; a record so equal configurations share a client. */
  private record Configuration(URI url, Optional<String> authorization, Optional<String> caPem, Duration timeout) {
    @Override
    public String toString() {
      // never print the credentials
      return "Configuration[" + url.getHost() + "]";
    }
  }
}
