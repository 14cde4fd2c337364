package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** Reading request bodies, refusing what is not JSON as the API server does (400 BadRequest). */
final class RequestBodies {
  private RequestBodies() {
  }

  /** Any JSON value (a JSON patch is an array). */
  static JsonNode json(String body) {
    if (body == null || body.isBlank()) {
      throw ApiError.badRequest("the request body is empty");
    }
    try {
      return CrudStore.JSON.readTree(body);
    } catch (IOException e) {
      throw ApiError.badRequest("the body of the request is not valid JSON: " + e.getMessage());
    }
  }

  /** A JSON object (a create or update body). */
  static ObjectNode object(String body) {
    JsonNode json = json(body);
    if (!json.isObject()) {
      throw ApiError.badRequest("the body of the request must be a JSON object");
    }
    return (ObjectNode) json;
  }
}
