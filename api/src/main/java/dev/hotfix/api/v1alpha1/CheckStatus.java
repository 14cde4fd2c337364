package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The running tally of one check (a metric check's measurements, a job check's Job). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CheckStatus {

  /** The check's name from the spec. */
  @JsonPropertyDescription("The check's name from the spec.")
  public String name;

  /** The last measured value. */
  @JsonPropertyDescription("The last measured value as text (a number, NaN, or empty when there was no data).")
  public String lastValue;

  /** Measurements that passed. */
  @JsonPropertyDescription("Measurements that passed.")
  public Integer passed;

  /** Measurements that failed the threshold. */
  @JsonPropertyDescription("Measurements that met failWhen.")
  public Integer failed;

  /** Measurements without data. */
  @JsonPropertyDescription("Measurements with no data (empty result, NaN, Inf).")
  public Integer noData;

  /** Measurements that ended in a provider error. */
  @JsonPropertyDescription("Measurements that ended in a provider error.")
  public Integer errors;

  /** Provider errors in a row (reset by any other outcome). */
  @JsonPropertyDescription("Provider errors in a row; errorLimit applies to this.")
  public Integer consecutiveErrors;

  /** When the check was last measured. */
  @JsonPropertyDescription("When the check was last measured (RFC 3339).")
  public String lastMeasuredAt;

  /** A short message about the last measurement. */
  @JsonPropertyDescription("A short message about the last measurement.")
  public String lastMessage;

  /** The smoke-test Job a job check created in this attempt. */
  @JsonPropertyDescription("For a job check: the Job it created in this attempt (owned by the Hotfix).")
  public String job;

  /** When the job check created its Job. */
  @JsonPropertyDescription("For a job check: when its Job was created (RFC 3339); its timeout counts from here.")
  public String jobCreatedAt;

  /** The last lines of the Job's pod's log. */
  @JsonPropertyDescription("For a job check: the last lines of its Job's pod's log once the Job finished (at most 20 "
      + "lines, 2 KiB), for the incident report.")
  public String logTail;
}
