package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One metric check: a query, a failure threshold and how many bad measurements to tolerate. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CheckSpec {

  /** The check's name, unique within the Hotfix. */
  @Required
  @Size(min = 1, max = 63)
  @Pattern(ApiPatterns.DNS_LABEL)
  @JsonPropertyDescription("The check's name (lower-case letters, digits and '-'), unique within the Hotfix; it "
      + "names the check in status, Events and the rollback reason.")
  public String name;

  /** The Prometheus query to measure. */
  @Required
  @JsonPropertyDescription("Measure with a Prometheus instant query. The Prometheus URL comes from the operator or "
      + "the namespace's HotfixPolicy, never from the Hotfix.")
  public PrometheusCheck prometheus;

  /** The failure threshold. */
  @Required
  @Size(min = 1, max = 64)
  @Pattern(ApiPatterns.THRESHOLD)
  @JsonPropertyDescription("When a measurement fails: a comparison of the query's scalar result with a number, one of "
      + "> >= < <= == != followed by the number, e.g. \"> 0.05\".")
  public String failWhen;

  /** Failed measurements tolerated. */
  @Default("0")
  @Min(0)
  @Max(1000)
  @JsonPropertyDescription("Failed measurements tolerated; one more fails the check and rolls back. 0 (default) means "
      + "the first failed measurement rolls back.")
  public Integer failureLimit;

  /** No-data measurements tolerated. */
  @Default("3")
  @Min(0)
  @Max(1000)
  @JsonPropertyDescription("Measurements with no data (empty result, NaN, Inf) tolerated; one more fails the check. "
      + "No data never counts as a pass. Default 3.")
  public Integer noDataLimit;

  /** Consecutive provider errors tolerated. */
  @Default("4")
  @Min(0)
  @Max(1000)
  @JsonPropertyDescription("Consecutive provider errors (unreachable, timeout, bad query, several series) tolerated; "
      + "one more fails the check. Errors never count as a pass. Default 4.")
  public Integer errorLimit;
}
