package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A Prometheus instant query whose result must be one scalar or one series. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PrometheusCheck {

  /** The PromQL expression. */
  @Required
  @Size(min = 1, max = 4096)
  @JsonPropertyDescription("A PromQL expression evaluated as an instant query; it must return a scalar or exactly one "
      + "series, e.g. sum(rate(http_requests_total{deployment=\"checkout\",code=~\"5..\"}[1m])) / "
      + "sum(rate(http_requests_total{deployment=\"checkout\"}[1m])).")
  public String query;
}
