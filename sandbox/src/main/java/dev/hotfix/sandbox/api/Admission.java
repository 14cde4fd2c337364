package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the API front asks before it stores an object: default it and validate it, as a real
 * API server's defaulting and validation stages do. Called for create, update and patch (after
 * the patch is applied), for the main resource and its {@code status} subresource.
 */
public interface Admission {

  /** The write being admitted. */
  enum Operation { CREATE, UPDATE }

  /** The {@code fieldValidation} query parameter: what to do with unknown fields. */
  enum FieldValidation { IGNORE, WARN, STRICT }

  /**
   * @param operation create or update (a patch is an update)
   * @param ref the addressed resource
   * @param oldObject the stored object (null on create)
   * @param newObject the object as it would be stored (a private copy the admission may change)
   * @param fieldValidation what the client asked for unknown fields
   */
  record Request(Operation operation, ResourceRef ref, JsonNode oldObject, JsonNode newObject,
      FieldValidation fieldValidation) {
  }

  /**
   * @return the object to store (defaulted); never null
   * @throws InvalidObjectException when the object must be refused
   */
  JsonNode admit(Request request) throws InvalidObjectException;
}
