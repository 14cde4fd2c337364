package dev.hotfix.sandbox.api;

import java.util.Locale;
import java.util.Map;

/**
 * The query parameters of a write that change how it is done.
 *
 * @param dryRun {@code dryRun=All}: run admission, store nothing
 * @param fieldValidation {@code fieldValidation}: Strict, Warn (the default, as upstream) or Ignore
 * @param orphanDependents a delete with {@code propagationPolicy=Orphan}: dependents stay, without
 *     their ownerReference to the deleted owner
 */
public record WriteOptions(boolean dryRun, Admission.FieldValidation fieldValidation, boolean orphanDependents) {

  /** Reads the options of one request. */
  public static WriteOptions from(Map<String, String> query) {
    String validation = query.getOrDefault("fieldValidation", "Warn").toUpperCase(Locale.ROOT);
    Admission.FieldValidation fieldValidation;
    try {
      fieldValidation = Admission.FieldValidation.valueOf(validation);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("fieldValidation must be one of Strict, Warn, Ignore");
    }
    return new WriteOptions("All".equals(query.get("dryRun")), fieldValidation,
        "Orphan".equals(query.get("propagationPolicy")));
  }
}
