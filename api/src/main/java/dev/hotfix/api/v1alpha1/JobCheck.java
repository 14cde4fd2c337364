package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A smoke test run as a Job once the revision under test is up: the pod template comes from a
 * PodTemplate in the Hotfix's namespace; the Job succeeding passes the check, failing (or
 * running past its deadline) fails it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JobCheck {

  /** The PodTemplate the Job's pods are made from. */
  @Required
  @Size(min = 1, max = 253)
  @Pattern(ApiPatterns.DNS_SUBDOMAIN)
  @JsonPropertyDescription("The name of a PodTemplate (core/v1) in the Hotfix's namespace whose template the smoke-test "
      + "Job runs. Its restartPolicy must be Never or OnFailure (unset means Never); its pods run as the namespace's "
      + "default ServiceAccount unless the template names another. The operator adds the environment variables "
      + "HOTFIX_NAME, HOTFIX_TARGET and HOTFIX_POD_TEMPLATE_HASH (the revision under test) to every container.")
  public String podTemplate;

  /** The Job's activeDeadlineSeconds. */
  @Default("300")
  @Min(1)
  @Max(3600)
  @JsonPropertyDescription("Seconds the Job may run in all (its activeDeadlineSeconds); a Job still running then fails "
      + "the check (reason DeadlineExceeded). Default 300.")
  public Integer timeoutSeconds;

  /** The Job's backoffLimit. */
  @Default("0")
  @Min(0)
  @Max(10)
  @JsonPropertyDescription("Failed pods the Job retries before it fails (its backoffLimit). Default 0: the first failed "
      + "pod fails the check.")
  public Integer backoffLimit;

  /** The Job's ttlSecondsAfterFinished. */
  @Default("3600")
  @Min(60)
  @Max(604800)
  @JsonPropertyDescription("Seconds a finished Job (and its pods' logs) is kept before it is deleted (its "
      + "ttlSecondsAfterFinished). Default 3600, at least 60 so the operator sees the outcome and reads the log first. "
      + "The Job is owned by the Hotfix and goes with it in any case.")
  public Integer ttlSecondsAfterFinished;
}
