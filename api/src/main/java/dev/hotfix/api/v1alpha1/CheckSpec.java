package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * One check of the revision under test, of one kind: a Prometheus query with a failure
 * threshold, a smoke-test Job, or an HTTP GET against the target's Service; and how many bad measurements to tolerate.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "(has(self.prometheus) ? 1 : 0) + (has(self.job) ? 1 : 0) + (has(self.http) ? 1 : 0) == 1",
    message = "a check has exactly one kind: set one of prometheus, job or http")
@ValidationRule(value = "!has(self.prometheus) || has(self.failWhen)",
    message = "a prometheus check needs failWhen, e.g. \"> 0.05\"")
@ValidationRule(value = "!has(self.job) || !has(self.failWhen)",
    message = "failWhen applies to prometheus checks only: a job check passes when its Job succeeds")
@ValidationRule(value = "!has(self.http) || !has(self.failWhen)",
    message = "failWhen applies to prometheus checks only: an http check passes on http.expectStatus (and "
        + "http.expectValue at http.jsonPath)")
@ValidationRule(value = "!has(self.job) || !has(self.failureLimit) || self.failureLimit == 0",
    message = "failureLimit must be 0 for a job check: its Job runs once per attempt; retry within it with "
        + "job.backoffLimit")
public class CheckSpec {

  /** The check's name, unique within the Hotfix. */
  @Required
  @Size(min = 1, max = 63)
  @Pattern(ApiPatterns.DNS_LABEL)
  @JsonPropertyDescription("The check's name (lower-case letters, digits and '-'), unique within the Hotfix; it "
      + "names the check in status, Events and the rollback reason.")
  public String name;

  /** The Prometheus query to measure, for a metric check. */
  @JsonPropertyDescription("Measure with a Prometheus instant query. The Prometheus URL comes from the operator or "
      + "the namespace's HotfixPolicy, never from the Hotfix. One of prometheus, job or http.")
  public PrometheusCheck prometheus;

  /** The smoke-test Job to run, for a job check. */
  @JsonPropertyDescription("Run a smoke-test Job from a PodTemplate of the Hotfix's namespace once the new revision is "
      + "up (the canary, with spec.rollout.canary): the Job succeeding passes the check, failing or timing out fails "
      + "it. One of prometheus, job or http.")
  public JobCheck job;

  /** The HTTP GET to make, for an http check. */
  @JsonPropertyDescription("GET a path of a Service of the Hotfix's namespace that selects the target's pods, each "
      + "interval once the new revision is up (the canary, with spec.rollout.canary): the expected status code (and "
      + "value at a JSON path) passes a measurement, anything else fails it; no answer within the timeout is a "
      + "provider error. One of prometheus, job or http.")
  public HttpCheck http;

  /** The failure threshold of a metric check. */
  @Size(min = 1, max = 64)
  @Pattern(ApiPatterns.THRESHOLD)
  @JsonPropertyDescription("When a measurement fails (prometheus checks only, and required for them): a comparison of "
      + "the query's scalar result with a number, one of > >= < <= == != followed by the number, e.g. \"> 0.05\".")
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
