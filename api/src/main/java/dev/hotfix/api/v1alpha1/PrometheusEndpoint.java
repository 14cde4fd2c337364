package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Where and how the operator queries Prometheus for a namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PrometheusEndpoint {

  /** Base URL of the Prometheus HTTP API: no user info, query or fragment. */
  @Required
  @Size(max = 2048)
  @Pattern(ApiPatterns.HTTP_URL)
  @JsonPropertyDescription("Base URL of the Prometheus HTTP API, e.g. http://prometheus.monitoring:9090; no user "
      + "info, query or fragment. Non-public addresses (loopback, link-local, private) are called only when the "
      + "operator allows them (run --allow-endpoint).")
  public String url;

  /** Secret with credentials. */
  @JsonPropertyDescription("A Secret in this namespace with credentials: keys username and password (basic auth) or "
      + "token (bearer). Never logged or copied into status.")
  public SecretRef authSecretRef;

  /** Secret with a CA bundle for TLS. */
  @JsonPropertyDescription("A Secret in this namespace whose key (default ca.crt) holds the PEM CA bundle that signs "
      + "Prometheus's TLS certificate.")
  public SecretKeyRef caSecretRef;

  /** Per-query timeout. */
  @Default("5")
  @Min(1)
  @Max(60)
  @JsonPropertyDescription("Seconds a query may take before it counts as a provider error. Default 5.")
  public Integer timeoutSeconds;
}
