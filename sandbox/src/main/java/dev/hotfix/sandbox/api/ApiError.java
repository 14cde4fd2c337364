package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A refused request, answered as the real API server answers: a {@code Status} object with the
 * code, reason and message {@code kubectl} prints ({@code Error from server (NotFound): ...}).
 */
public final class ApiError extends RuntimeException {
  private final int code;
  private final String reason;
  private final transient ObjectNode details;
  /** The Status's {@code metadata.continue}: where an expired list may go on, inconsistently. */
  private final String listContinue;

  private ApiError(int code, String reason, String message, ObjectNode details) {
    this(code, reason, message, details, null);
  }

  private ApiError(int code, String reason, String message, ObjectNode details, String listContinue) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.details = details;
    this.listContinue = listContinue;
  }

  /** 404: the object does not exist. */
  public static ApiError notFound(ResourceType type, String name) {
    return new ApiError(404, "NotFound", type.qualifiedName() + " \"" + name + "\" not found", details(type, name));
  }

  /** 404: nothing is served at this path. */
  public static ApiError noSuchPath() {
    return new ApiError(404, "NotFound", "the server could not find the requested resource", null);
  }

  /** 409: create of an object that exists. */
  public static ApiError alreadyExists(ResourceType type, String name) {
    return new ApiError(409, "AlreadyExists", type.qualifiedName() + " \"" + name + "\" already exists",
        details(type, name));
  }

  /** 409: a write based on a stale {@code resourceVersion} (optimistic concurrency). */
  public static ApiError conflict(ResourceType type, String name) {
    return new ApiError(409, "Conflict", "Operation cannot be fulfilled on " + type.qualifiedName() + " \"" + name
        + "\": the object has been modified; please apply your changes to the latest version and try again",
        details(type, name));
  }

  /** 400: a malformed request. */
  public static ApiError badRequest(String message) {
    return new ApiError(400, "BadRequest", message, null);
  }

  /** 405: the verb is not served for this resource. */
  public static ApiError methodNotAllowed(String method) {
    return new ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource ("
        + method + ")", null);
  }

  /** 415: a body in a media type the sandbox does not accept for this request. */
  public static ApiError unsupportedMediaType(String message) {
    return new ApiError(415, "UnsupportedMediaType", message, null);
  }

  /**
   * 422 for a JSON patch that does not apply (a failed test, a missing path), worded as upstream
   * words it (its json-patch error is not passed on; the sandbox adds it as the one cause).
   */
  public static ApiError jsonPatchNotApplied(String why) {
    ObjectNode details = JsonNodeFactory.instance.objectNode();
    details.putArray("causes").addObject().put("reason", "FieldValueInvalid").put("message", why).put("field", "patch");
    return new ApiError(422, "Invalid", "the server rejected our request due to an error in our request", details);
  }

  /** 422 Invalid with one cause per field, or 400 BadRequest, as admission decided. */
  public static ApiError refused(InvalidObjectException refusal) {
    ObjectNode details = JsonNodeFactory.instance.objectNode();
    details.put("name", refusal.name());
    details.put("group", refusal.group() == null ? "" : refusal.group());
    details.put("kind", refusal.kind());
    ArrayNode causes = details.putArray("causes");
    refusal.errors().forEach(error -> causes.addObject()
        .put("reason", error.reason()).put("message", error.message()).put("field", error.field()));
    String reason = refusal.code() == 422 ? "Invalid" : "BadRequest";
    return new ApiError(refusal.code(), reason, refusal.getMessage(), details);
  }

  /**
   * 403 as upstream's authorization filter answers: {@code deployments.apps "web" is forbidden: WHY},
   * {@code deployments.apps is forbidden: WHY} for a collection, {@code forbidden: WHY} for a path.
   */
  public static ApiError forbidden(String group, String resource, String name, String why) {
    if (resource.isEmpty()) {
      return new ApiError(403, "Forbidden", "forbidden: " + why, null);
    }
    String qualified = group.isEmpty() ? resource : resource + "." + group;
    String message = name.isEmpty() ? qualified + " is forbidden: " + why
        : qualified + " \"" + name + "\" is forbidden: " + why;
    ObjectNode details = JsonNodeFactory.instance.objectNode().put("name", name).put("group", group)
        .put("kind", resource);
    return new ApiError(403, "Forbidden", message, details);
  }

  /** 401: credentials the server did not issue (kubectl: "You must be logged in to the server"). */
  public static ApiError unauthorized() {
    return new ApiError(401, "Unauthorized", "Unauthorized", null);
  }

  /** A refusal whose code and reason someone else decided (an admission webhook's answer). */
  public static ApiError of(int code, String reason, String message) {
    return new ApiError(code, reason, message, null);
  }

  /** 410: a watch from a resourceVersion older than the server still knows; the client lists again. */
  public static ApiError gone(String message) {
    return new ApiError(410, "Expired", message, null);
  }

  /**
   * 410: a {@code continue} token from a list older than the server still holds, with upstream's
   * message and a token that continues from the same key on the current state.
   */
  public static ApiError continueExpired(String inconsistentContinue) {
    return new ApiError(410, "Expired", "The provided continue parameter is too old to display a consistent list"
        + " result. You can start a new list without the continue parameter, or use the continue token in this"
        + " response to retrieve the remainder of the results. Continuing with the provided token results in an"
        + " inconsistent list - objects that were created, modified, or deleted between the time the first chunk"
        + " was returned and now may show up in the list.", null, inconsistentContinue);
  }

  /** 500: something broke inside the sandbox. */
  public static ApiError internal(String message) {
    return new ApiError(500, "InternalError", message, null);
  }

  /** Any status, as the fault injector answers: {@code code} with a reason matching it. */
  public static ApiError injected(int code, String message) {
    String reason = switch (code) {
      case 409 -> "Conflict";
      case 410 -> "Expired";
      case 429 -> "TooManyRequests";
      case 503 -> "ServiceUnavailable";
      case 504 -> "Timeout";
      default -> code >= 500 ? "InternalError" : "BadRequest";
    };
    return new ApiError(code, reason, message, null);
  }

  /** The HTTP status code. */
  public int code() {
    return code;
  }

  /** The {@code Status} object of this answer. */
  public ObjectNode toStatus() {
    ObjectNode status = JsonNodeFactory.instance.objectNode();
    status.put("kind", "Status").put("apiVersion", "v1");
    ObjectNode metadata = status.putObject("metadata");
    if (listContinue != null) {
      metadata.put("continue", listContinue);
    }
    status.put("status", "Failure").put("message", getMessage()).put("reason", reason);
    if (details != null) {
      status.set("details", details);
    }
    status.put("code", code);
    return status;
  }

  private static ObjectNode details(ResourceType type, String name) {
    return JsonNodeFactory.instance.objectNode()
        .put("name", name).put("group", type.group()).put("kind", type.plural());
  }
}
