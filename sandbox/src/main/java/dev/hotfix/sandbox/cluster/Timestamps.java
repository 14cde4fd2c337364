package dev.hotfix.sandbox.cluster;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Kubernetes timestamps: RFC 3339 in UTC with whole seconds, as the API server serializes
 * {@code metav1.Time}. Deadlines measured from these times therefore have one-second precision,
 * as they do upstream.
 */
final class Timestamps {

  private Timestamps() {}

  /** The API form of an instant, truncated to the second. */
  static String format(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** The instant of an API timestamp, or null when there is none. */
  static Instant parse(String t) {
    return t == null || t.isEmpty() ? null : Instant.parse(t);
  }
}
