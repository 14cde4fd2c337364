package dev.hotfix.sandbox.api;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The query parameters of a write that change how it is done.
 *
 * @param dryRun {@code dryRun=All}: run admission, store nothing
 * @param fieldValidation {@code fieldValidation}: Strict, Warn (the default, as upstream) or Ignore
 * @param propagation what a delete does to the owner's dependents ({@code propagationPolicy})
 * @param gracePeriodSeconds a delete's {@code gracePeriodSeconds}; null when the request gives
 *     none (a pod then gets its {@code terminationGracePeriodSeconds})
 */
public record WriteOptions(boolean dryRun, Admission.FieldValidation fieldValidation, Propagation propagation,
    Long gracePeriodSeconds) {

  /** Upstream's deletion propagation policies. */
  public enum Propagation {
    /** The owner goes at once; the garbage collector deletes the dependents after it (the default). */
    BACKGROUND,
    /** The owner stays, marked, until its dependents are gone. */
    FOREGROUND,
    /** The dependents stay, without their ownerReference to the owner. */
    ORPHAN;

    /** The policy a {@code propagationPolicy} value names, if it names one. */
    static Optional<Propagation> named(String value) {
      return switch (value == null ? "" : value) {
        case "Background" -> Optional.of(BACKGROUND);
        case "Foreground" -> Optional.of(FOREGROUND);
        case "Orphan" -> Optional.of(ORPHAN);
        default -> Optional.empty();
      };
    }
  }

  /** Options of the server's own writes: stored as given, validated strictly. */
  static WriteOptions internal() {
    return new WriteOptions(false, Admission.FieldValidation.STRICT, Propagation.BACKGROUND, null);
  }

  /** A delete by the garbage collector with this propagation and the object's own grace period. */
  static WriteOptions collecting(Propagation propagation) {
    return new WriteOptions(false, Admission.FieldValidation.STRICT, propagation, null);
  }

  /** These options with the grace period of a delete. */
  WriteOptions withGracePeriod(Long seconds) {
    return new WriteOptions(dryRun, fieldValidation, propagation, seconds);
  }

  /** Whether a request's query asks for a dry run ({@code dryRun=All}, the only value upstream accepts). */
  public static boolean isDryRun(Map<String, String> query) {
    return "All".equals(query.get("dryRun"));
  }

  /** Reads the options of one request. */
  public static WriteOptions from(Map<String, String> query) {
    String validation = query.getOrDefault("fieldValidation", "Warn").toUpperCase(Locale.ROOT);
    Admission.FieldValidation fieldValidation;
    try {
      fieldValidation = Admission.FieldValidation.valueOf(validation);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("fieldValidation must be one of Strict, Warn, Ignore");
    }
    Long grace = null;
    if (query.get("gracePeriodSeconds") != null) {
      try {
        grace = Long.parseLong(query.get("gracePeriodSeconds"));
      } catch (NumberFormatException e) {
        throw ApiError.badRequest("gracePeriodSeconds must be a whole number of seconds, not \""
            + query.get("gracePeriodSeconds") + "\"");
      }
    }
    return new WriteOptions(isDryRun(query), fieldValidation,
        Propagation.named(query.get("propagationPolicy")).orElse(Propagation.BACKGROUND), grace);
  }
}
