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
 * An HTTP GET against the target's own Service: the answer's status code, and optionally one
 * value of its JSON body, pass or fail the measurement. Only a Service of the Hotfix's namespace
 * can be named (by name, never by URL), so the check cannot be pointed at an arbitrary host.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.jsonPath) == has(self.expectValue)",
    message = "jsonPath and expectValue go together: set both (the value at jsonPath must equal expectValue) or "
        + "neither")
public class HttpCheck {

  /** The Service asked, in the Hotfix's namespace. */
  @Required
  @Size(min = 1, max = 63)
  @Pattern(ApiPatterns.DNS_LABEL)
  @JsonPropertyDescription("The name of a Service in the Hotfix's namespace that selects the target's pods; the "
      + "operator GETs http://<service>.<namespace>.svc:<port><path>. A name only: other namespaces and hosts cannot "
      + "be named.")
  public String service;

  /** The Service port. */
  @Required
  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("A port the Service exposes (spec.ports[].port).")
  public Integer port;

  /** The request path. */
  @Default("/")
  @Size(min = 1, max = 1024)
  @Pattern(ApiPatterns.HTTP_PATH)
  @JsonPropertyDescription("The path to GET, starting with '/', without query or fragment, e.g. /healthz. "
      + "Default /.")
  public String path;

  /** The status code that passes. */
  @Default("200")
  @Min(100)
  @Max(599)
  @JsonPropertyDescription("The status code that passes the measurement; any other fails it. Default 200.")
  public Integer expectStatus;

  /** Where in the JSON body the expected value is. */
  @Size(min = 1, max = 256)
  @Pattern(ApiPatterns.JSON_FIELD_PATH)
  @JsonPropertyDescription("A path into the answer's JSON body: field names and array indexes separated by dots, "
      + "optionally starting with '$.', e.g. status or $.checks.0.state. The value there, as text, must equal "
      + "expectValue; a body that is not JSON or lacks the path fails the measurement.")
  public String jsonPath;

  /** The value expected at jsonPath. */
  @Size(max = 256)
  @JsonPropertyDescription("The value expected at jsonPath, compared as text (numbers and booleans as JSON writes "
      + "them, e.g. true, 3).")
  public String expectValue;

  /** The request's deadline. */
  @Default("5")
  @Min(1)
  @Max(60)
  @JsonPropertyDescription("Seconds the whole exchange may take (connect, headers, body); slower is a provider "
      + "error, counted against errorLimit. Default 5.")
  public Integer timeoutSeconds;
}
